"""Notifications in the web app (list, badge, open, mark all read) and by e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tuanxue.core.models import Notification
from tuanxue.core.notify import notify
from tuanxue.org.models import Role

LIST = "/notifications/"


def add(user, school, text, url="", *, minutes_ago=0, read=False):
    row = Notification.objects.create(user=user, school=school, text=text, url=url)
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=row.pk).update(created_at=at, read_at=at if read else None)
    row.refresh_from_db()
    return row


@pytest.fixture
def student(kit):
    return kit.user(student=True)


def test_the_page_lists_own_notifications_newest_first_with_unread_marked(client, kit, student):
    other = kit.user(student=True)
    add(student, kit.school, "较早的通知", minutes_ago=30, read=True)
    add(student, kit.school, "最新的通知", minutes_ago=1)
    add(other, kit.school, "别人的通知")
    client.force_login(student)
    assert reverse("core:notifications") == LIST
    html = client.get(LIST).content.decode()
    assert html.index("最新的通知") < html.index("较早的通知")
    assert "别人的通知" not in html
    assert html.count('class="unread"') == 1
    assert '<span class="badge" id="unread-count"' in html


def test_the_page_is_paged(client, kit, student):
    for i in range(25):
        add(student, kit.school, f"通知{i:02d}", minutes_ago=i)
    client.force_login(student)
    first = client.get(LIST).content.decode()
    second = client.get(LIST + "?page=2").content.decode()
    assert "通知00" in first and "通知19" in first and "通知20" not in first
    assert "通知20" in second and "通知24" in second and "通知00" not in second


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_mark_all_read(client, kit, student):
    other = kit.user(student=True)
    for i in range(3):
        add(student, kit.school, f"通知{i}")
    theirs = add(other, kit.school, "别人的通知")
    client.force_login(student)
    url = reverse("core:notifications_read_all")
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Notification.objects.filter(user=student, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert 'id="unread-count"' not in client.get(LIST).content.decode()


def test_opening_marks_read_and_follows_the_link(client, kit, student):
    row = add(student, kit.school, "待审批", url="/s/tst/applications/1/")
    client.force_login(student)
    response = client.get(reverse("core:notification_open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/s/tst/applications/1/"
    row.refresh_from_db()
    assert row.read_at is not None


@pytest.mark.parametrize(
    "url", ["", "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_only_local_paths_are_followed(client, kit, student, url):
    row = add(student, kit.school, "通知", url=url)
    client.force_login(student)
    response = client.get(reverse("core:notification_open", args=[row.pk]))
    assert response["Location"] == LIST
    row.refresh_from_db()
    assert row.read_at is not None


def test_only_the_owner_opens_a_notification(client, kit, student):
    row = add(student, kit.school, "通知", url="/somewhere/")
    client.force_login(kit.user(student=True))
    assert client.get(reverse("core:notification_open", args=[row.pk])).status_code == 404
    assert client.get(reverse("core:notification_open", args=[999999])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_badge_costs_one_count_query(client, kit, student):
    for i in range(4):
        add(student, kit.school, f"通知{i}", read=i == 0)
    client.force_login(student)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("core:account")).content.decode()
    assert '<span class="badge" id="unread-count"' in html
    assert ">3</span>" in html
    touching = [q["sql"] for q in ctx.captured_queries if "core_notification" in q["sql"]]
    assert len(touching) == 1 and "COUNT" in touching[0].upper()


def test_no_badge_without_unread(client, kit, student):
    client.force_login(student)
    html = client.get(reverse("core:account")).content.decode()
    assert 'id="unread-count"' not in html
    assert f'href="{LIST}"' in html


def test_menu_links_to_recruitment_and_approvals(client, kit, student):
    rounds = reverse("selection:rounds", args=[kit.school.code])
    queue = reverse("selection:queue", args=[kit.school.code])
    client.force_login(student)
    html = client.get(reverse("core:account")).content.decode()
    assert f'href="{rounds}"' in html
    assert f'href="{queue}"' not in html
    client.force_login(kit.user(role=Role.COLLEGE_LEAGUE))
    html = client.get(reverse("core:account")).content.decode()
    assert f'href="{rounds}"' in html
    assert f'href="{queue}"' in html


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_notification_sends_one_mail_after_commit(
    kit, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = IMMEDIATE  # the worker's part, run at once
    settings.SITE_URL = "https://tuanxue.example/"
    user = kit.user()
    user.email = "student@example.edu.cn"
    user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(users=[user], school=kit.school, text="申请已通过", url="/s/tst/x/")
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["student@example.edu.cn"]
    assert message.subject == "申请已通过"
    assert "https://tuanxue.example/s/tst/x/" in message.body
    assert Notification.objects.filter(user=user).count() == 1


def test_a_user_listed_twice_or_inactive_gets_no_extra_mail(
    kit, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = IMMEDIATE
    user, gone = kit.user(), kit.user()
    user.email, gone.email, gone.is_active = "a@example.edu.cn", "b@example.edu.cn", False
    user.save()
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user, user, gone], school=kit.school, text="通知")
    assert [m.to for m in mail.outbox] == [["a@example.edu.cn"]]
