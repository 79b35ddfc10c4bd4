"""Applications through the approval chains, at the service level."""

import pytest

from tests.builders.selection import PRESIDIUM_ORDER
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent, Notification
from tuanxue.org.models import Membership, Role
from tuanxue.selection import services
from tuanxue.selection.models import ApplicationStatus, StepAction


def apply(kit, seat, statement="我希望为同学服务，积累工作经验。"):
    return services.application_submit(
        actor=kit.applicant_user, rnd=kit.round, seat=seat, statement=statement
    )


def test_presidium_application_walks_five_steps_to_candidate_then_is_elected(applicant):
    kit = applicant
    application = apply(kit, kit.presidium_seat)
    assert application.eligible is True
    assert application.eligibility["charter"] == "2020年修改版"
    for role in PRESIDIUM_ORDER:
        services.step_act(
            actor=kit.offices[role], application=application, decision="approve", comment="同意"
        )
        application.refresh_from_db()
    assert application.status == ApplicationStatus.CANDIDATE
    assert StepAction.objects.filter(application=application).count() == 6
    services.election_record(
        actor=kit.offices[Role.SCHOOL_LEAGUE], application=application, elected=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED
    assert application.membership.body == kit.presidium
    assert Notification.objects.filter(user=kit.applicant_user).exists()


def test_department_application_is_appointed_after_two_steps(applicant):
    kit = applicant
    application = apply(kit, kit.staff_seat)
    for role in (Role.COLLEGE_LEAGUE, Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE):
        services.step_act(actor=kit.offices[role], application=application, decision="approve")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED
    assert Membership.objects.filter(student=kit.applicant, body=kit.dept).exists()


def test_a_joint_step_waits_for_both_offices(applicant):
    kit = applicant
    application = apply(kit, kit.staff_seat)
    services.step_act(
        actor=kit.offices[Role.COLLEGE_LEAGUE], application=application, decision="approve"
    )
    services.step_act(
        actor=kit.offices[Role.STUDENT_AFFAIRS], application=application, decision="approve"
    )
    application.refresh_from_db()
    assert application.step == 2 and application.status == ApplicationStatus.IN_REVIEW
    with pytest.raises(DomainError) as exc:
        services.step_act(
            actor=kit.offices[Role.STUDENT_AFFAIRS], application=application, decision="approve"
        )
    assert exc.value.code == "duplicate"


def test_the_wrong_office_or_scope_is_refused(applicant, other_kit):
    kit = applicant
    application = apply(kit, kit.presidium_seat)
    for user in (
        kit.offices[Role.SCHOOL_PARTY],
        other_kit.user(role=Role.COLLEGE_LEAGUE),
        kit.applicant_user,
    ):
        with pytest.raises(DomainError) as exc:
            services.step_act(actor=user, application=application, decision="approve")
        assert exc.value.code == "forbidden"


def test_a_stale_form_is_told_not_acted(applicant):
    kit = applicant
    application = apply(kit, kit.staff_seat)
    services.step_act(
        actor=kit.offices[Role.COLLEGE_LEAGUE],
        application=application,
        decision="approve",
        step=1,
        cycle=1,
    )
    with pytest.raises(DomainError) as exc:
        services.step_act(
            actor=kit.offices[Role.COLLEGE_LEAGUE],
            application=application,
            decision="approve",
            step=1,
            cycle=1,
        )
    assert exc.value.code == "stale"


def test_return_and_resubmit(applicant):
    kit = applicant
    application = apply(kit, kit.staff_seat)
    with pytest.raises(DomainError):
        services.step_act(
            actor=kit.offices[Role.COLLEGE_LEAGUE], application=application, decision="return"
        )  # a return needs a reason
    services.step_act(
        actor=kit.offices[Role.COLLEGE_LEAGUE],
        application=application,
        decision="return",
        comment="请补充工作设想",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    services.application_resubmit(
        actor=kit.applicant_user,
        application=application,
        statement="补充：我计划组织每月一次的学习交流活动。",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW and application.cycle == 2
    services.step_act(
        actor=kit.offices[Role.COLLEGE_LEAGUE], application=application, decision="approve"
    )
    application.refresh_from_db()
    assert application.step == 2


def test_reject_ends_it(applicant):
    kit = applicant
    application = apply(kit, kit.staff_seat)
    services.step_act(
        actor=kit.offices[Role.COLLEGE_LEAGUE],
        application=application,
        decision="reject",
        comment="名额已满",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_an_ineligible_student_cannot_apply(open_round):
    kit = open_round
    user = kit.user("weak")
    kit.good_student("成绩不足", user=user, study=30, size=40)
    with pytest.raises(DomainError) as exc:
        services.application_submit(
            actor=user,
            rnd=kit.round,
            seat=kit.staff_seat,
            statement="我希望为同学服务，积累工作经验。",
        )
    assert "30/40" in exc.value.message


def test_one_application_per_round(applicant):
    kit = applicant
    apply(kit, kit.staff_seat)
    with pytest.raises(DomainError) as exc:
        apply(kit, kit.presidium_seat)
    assert exc.value.code == "duplicate"


def test_a_cap_reached_at_the_last_step_holds_the_application(applicant):
    from tuanxue.org.models import Title

    kit = applicant
    application = apply(kit, kit.staff_seat)
    for _ in range(6):
        kit.post(kit.good_student(), kit.dept, Title.STAFF)
    for role in (Role.COLLEGE_LEAGUE, Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE):
        services.step_act(actor=kit.offices[role], application=application, decision="approve")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HELD
    assert "6" in application.held_reason
    assert not Membership.objects.filter(student=kit.applicant).exists()
    event = AuditEvent.objects.filter(action="selection.step.approved").order_by("-id").first()
    assert event.new["status"] == ApplicationStatus.HELD
