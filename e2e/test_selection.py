"""A presidium application walks through the whole chain in a real browser on a phone."""

import datetime as dt

import pytest
from django.utils import timezone

from e2e.conftest import log_in
from tuanxue.org.models import AcademicRecord, Role, Title
from tuanxue.selection.models import Application, ApplicationStatus, StepAction

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "e2s"
# The presidium chain: who presses approve, step by step (the third step is joint).
CHAIN = [
    (1, Role.COLLEGE_LEAGUE),
    (2, Role.COLLEGE_PARTY),
    (3, Role.STUDENT_AFFAIRS),
    (3, Role.SCHOOL_LEAGUE),
    (4, Role.SCHOOL_PARTY),
    (5, Role.FEDERATION),
]


@pytest.fixture
def recruiting(db):
    """A chartered school with one user per office, an open round and an eligible student."""
    from tests.conftest import SchoolKit
    from tuanxue.charter import services as charter_services
    from tuanxue.charter.rules import SEED_2020
    from tuanxue.org import services
    from tuanxue.selection.rounds import services as rounds

    kit = SchoolKit(code=CODE)
    semester = services.semester_ensure(actor=None, school=kit.school, code="2019-2020-2")
    charter_services.charter_adopt(
        actor=None,
        school=kit.school,
        name="测试学院学生会章程",
        version_label="2020年修改版",
        effective_from=dt.date(2020, 8, 1),
        rules=SEED_2020.to_json(),
        adopted_by="第十四次学生代表大会",
    )
    kit.offices = {role: kit.user(f"office-{role}", role=role) for _, role in CHAIN}
    presidium = kit.school_union.bodies.get(kind="presidium")
    department = kit.department()
    now = timezone.now()
    kit.round = rounds.round_open(
        actor=kit.offices[Role.SCHOOL_LEAGUE],
        union=kit.school_union,
        name="2020-2021学年校学生会遴选",
        term_start=dt.date(2020, 9, 1),
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
        seats=[(presidium, Title.PRESIDIUM_MEMBER, 1), (department, Title.STAFF, 2)],
    )
    kit.presidium_seat = kit.round.seats.get(body=presidium)
    user = kit.user("applicant")
    student = kit.student(name="申请人", user=user, grade=2018)
    AcademicRecord.objects.create(
        school=kit.school,
        student=student,
        semester=semester,
        study_rank=2,
        assessment_rank=3,
        major_size=40,
        failed_courses=0,
    )
    kit.applicant = student
    return kit


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_presidium_application_walks_the_chain_in_a_browser(phone, live_server, recruiting):
    kit = recruiting
    base = live_server.url

    # The student finds the round and applies on their phone.
    log_in(phone, base, "applicant")
    phone.goto(f"{base}/s/{CODE}/rounds/")
    phone.click(f"text={kit.round.name}")
    phone.wait_for_load_state()
    phone.click(f"a[href='/s/{CODE}/rounds/{kit.round.pk}/apply/']")
    phone.wait_for_load_state()
    assert phone.locator("#eligibility").get_attribute("data-eligible") == "yes"
    _no_sideways_scroll(phone)
    phone.check(f"input[name=seat][value='{kit.presidium_seat.pk}']")
    phone.fill("textarea[name=statement]", "我希望为同学服务，组织学风建设活动。")
    phone.click("form.stack button[type=submit]")
    phone.wait_for_load_state()
    application = Application.objects.get(student=kit.applicant)
    assert phone.url.endswith(f"/s/{CODE}/applications/{application.pk}/")
    assert phone.locator("#status").get_attribute("data-status") == "in_review"
    _no_sideways_scroll(phone)

    # Each office logs in, finds it waiting in its queue and approves it.
    for step, role in CHAIN:
        phone.context.clear_cookies()
        log_in(phone, base, f"office-{role}")
        phone.goto(f"{base}/s/{CODE}/approvals/")
        phone.click(f"#queue li[data-application='{application.pk}'] a")
        phone.wait_for_load_state()
        assert phone.locator(f"#timeline li[data-step='{step}']").get_attribute("data-state") == (
            "current"
        )
        phone.fill("textarea[name=comment]", "同意")
        phone.click("button[name=decision][value=approve]")
        phone.wait_for_load_state()
        assert phone.locator(".msg.success").count() == 1, role
        assert StepAction.objects.filter(application=application, role=role, step=step).exists()

    application.refresh_from_db()
    assert application.status == ApplicationStatus.CANDIDATE
    assert phone.locator("#status").get_attribute("data-status") == "candidate"

    # The school League committee records the congress result.
    phone.context.clear_cookies()
    log_in(phone, base, f"office-{Role.SCHOOL_LEAGUE}")
    phone.goto(f"{base}/s/{CODE}/applications/{application.pk}/")
    phone.click("button[name=elected][value=yes]")
    phone.wait_for_load_state()
    assert phone.locator("#status").get_attribute("data-status") == "appointed"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED
    assert application.membership.title == Title.PRESIDIUM_MEMBER

    # The student sees the outcome and every step done.
    phone.context.clear_cookies()
    log_in(phone, base, "applicant")
    phone.goto(f"{base}/s/{CODE}/applications/mine/")
    phone.click(f"a[href='/s/{CODE}/applications/{application.pk}/']")
    phone.wait_for_load_state()
    states = phone.locator("#timeline > li").evaluate_all(
        "items => items.map(i => i.dataset.state)"
    )
    assert states == ["done"] * 5
    _no_sideways_scroll(phone)
