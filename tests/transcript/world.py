"""A student with credit in several areas, a post, a duty-review result and a congress seat,
built through the services where they exist (the review and congress rows directly: they are
what those apps' services leave behind)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tests.ledger import factories
from tuanxue.activities.models import Activity, Attendance, CheckMethod, EducationArea
from tuanxue.congress.models import CongressSession, Delegate, DelegateStatus
from tuanxue.ledger import services as ledger
from tuanxue.ledger.models import CreditCategory, CreditUnit
from tuanxue.org import services as org_services
from tuanxue.org.models import Role, Title
from tuanxue.review.models import Grade, Reviewee, ReviewResult, ReviewSession, ReviewStatus


def attended(kit, student, *, area: str, hours: str, title: str):
    activity = factories.activity(kit, credit=Decimal(hours), unit="hours", title=title)
    Activity.objects.filter(pk=activity.pk).update(area=area)
    now = timezone.now()
    attendance = Attendance.objects.create(
        school=kit.school,
        activity=activity,
        student=student,
        checked_in_at=now,
        check_in_method=CheckMethod.STAFF,
        checked_out_at=now,
        check_out_method=CheckMethod.STAFF,
    )
    return ledger.credit_record(
        actor=None,
        student=student,
        category=CreditCategory.ACTIVITY,
        amount=Decimal(hours),
        unit=CreditUnit.HOURS,
        source_type="activities.attendance",
        source_id=str(attendance.pk),
        source_label=title,
    )


def build(kit):
    kit.league = kit.user(role=Role.SCHOOL_LEAGUE)
    kit.pupil_user = kit.user(student=True)
    pupil = kit.pupil = kit.pupil_user.student
    kit.moral = attended(kit, pupil, area=EducationArea.MORAL, hours="6", title="青年大学习")
    kit.arts = attended(kit, pupil, area=EducationArea.AESTHETICS, hours="4", title="合唱比赛")
    kit.volunteer = ledger.credit_record(
        actor=None,
        student=pupil,
        category=CreditCategory.VOLUNTEER,
        amount=Decimal("9"),
        unit=CreditUnit.HOURS,
        source_type="activities.signup",
        source_id="77",
        source_label="迎新志愿者",
    )
    # Recorded but never certified: does not count.
    kit.pending = attended(kit, pupil, area=EducationArea.LABOUR, hours="5", title="劳动周")
    ledger.certify_batch(
        actor=kit.league, school=kit.school, entries=[kit.moral, kit.arts, kit.volunteer]
    )
    # A post over the whole first semester of 2020-2021 (ended long ago).
    kit.sem1 = org_services.semester_ensure(actor=None, school=kit.school, code="2020-2021-1")
    kit.sem2 = org_services.semester_ensure(actor=None, school=kit.school, code="2020-2021-2")
    body = kit.department()
    kit.membership = kit.post(pupil, body, Title.STAFF, start=kit.sem1.start)
    org_services.membership_end(
        actor=None,
        membership=kit.membership,
        end=kit.sem2.start + dt.timedelta(days=10),
        reason="term_end",
    )
    session = ReviewSession.objects.create(
        school=kit.school,
        union=kit.school_union,
        semester=kit.sem1,
        held_on=kit.sem1.end,
        status=ReviewStatus.PUBLISHED,
    )
    reviewee = Reviewee.objects.create(
        session=session, membership=kit.membership, student=pupil, post="秘书部干事"
    )
    ReviewResult.objects.create(
        reviewee=reviewee,
        sheets=5,
        trimmed=True,
        dimensions={},
        overall=Decimal("91.5"),
        grade=Grade.EXCELLENT,
    )
    review_hours = ledger.credit_record(
        actor=None,
        student=pupil,
        category=CreditCategory.REVIEW,
        amount=Decimal("2"),
        unit=CreditUnit.HOURS,
        source_type="review.result",
        source_id="1:hours",
        source_label="2020-2021-1述职评议 优秀（任职履职学时）",
    )
    ledger.certify_batch(actor=kit.league, school=kit.school, entries=[review_hours])
    congress = CongressSession.objects.create(
        school=kit.school,
        union=kit.school_union,
        number=14,
        name="第十四次学生代表大会",
        held_on=dt.date(2020, 8, 25),
        venue="大礼堂",
        roster_cutoff=dt.date(2020, 7, 1),
    )
    Delegate.objects.create(
        session=congress, student=pupil, college=kit.college, status=DelegateStatus.CONFIRMED
    )
    return kit
