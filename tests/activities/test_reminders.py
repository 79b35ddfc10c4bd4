import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from tests.ledger import factories as f
from tuanxue.activities.reminders import shift_reminders_send
from tuanxue.core.models import Notification


def test_volunteers_are_reminded_once_before_their_shift(kit):
    now = timezone.now()
    activity = f.activity(kit, start=now + dt.timedelta(hours=5), hours=2)
    soon = f.shift(activity, start=now + dt.timedelta(hours=5), name="引导员")
    later = f.shift(activity, start=now + dt.timedelta(days=3), name="记分员")
    near = kit.user("near", student=True)
    far = kit.user("far", student=True)
    f.confirmed(soon, near.student)
    f.confirmed(later, far.student)
    assert shift_reminders_send(within=dt.timedelta(hours=24)) == 1
    assert shift_reminders_send(within=dt.timedelta(hours=24)) == 0
    assert Notification.objects.filter(user=near).count() == 1
    assert not Notification.objects.filter(user=far).exists()
    out = io.StringIO()
    call_command("remind", "--hours", "100", stdout=out)
    assert out.getvalue().startswith("已发送 1 条提醒")
