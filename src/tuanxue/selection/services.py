"""Recruitment rounds and applications: open, apply, act on a step, appoint.

Each function checks state and the actor's right, changes rows inside one transaction with the
application (or round) row locked, writes the audit event, and notifies after the change.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.org import services as org_services
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Student
from tuanxue.selection.access import acting_roles, approvers
from tuanxue.selection.chains import chain_steps
from tuanxue.selection.eligibility import eligibility
from tuanxue.selection.models import (
    OPEN_APPLICATION,
    Application,
    ApplicationStatus,
    ChainKind,
    ChainStep,
    Decision,
    RecruitmentRound,
    Seat,
    StepAction,
)
from tuanxue.selection.rounds import services as rounds

STEP_ACTIONS = {
    Decision.APPROVE: "selection.step.approved",
    Decision.RETURN: "selection.step.returned",
    Decision.REJECT: "selection.step.rejected",
}


def _forbidden(message: str | None = None) -> DomainError:
    return DomainError(message or _("You may not do this."), code="forbidden")


def _application_url(application: Application) -> str:
    return reverse("selection:application", args=[application.school.code, application.pk])


# -- applications ---------------------------------------------------------------------------


def application_submit(
    *,
    actor,
    rnd: RecruitmentRound,
    seat: Seat,
    statement: str,
    second_seat: Seat | None = None,
) -> Application:
    """A student applies for a seat (and optionally a second choice) in an open round."""
    student = Student.objects.filter(user=actor, school=rnd.school).first() if actor else None
    if student is None:
        raise _forbidden(_("Only a student of this school can apply."))
    if not rounds.round_accepts(rnd):
        raise DomainError(_("This round does not take applications now."), code="closed")
    if seat.round_id != rnd.pk or (second_seat is not None and second_seat.round_id != rnd.pk):
        raise DomainError(_("Choose a seat this round offers."), field="seat")
    if second_seat is not None and second_seat.pk == seat.pk:
        raise DomainError(_("The second choice must differ from the first."), field="second_seat")
    statement = statement.strip()
    if len(statement) < 10:
        raise DomainError(
            _("Write a statement of at least 10 characters about why you apply."),
            field="statement",
        )
    snapshot = eligibility(student, rnd.term_start)
    if snapshot["eligible"] is False:
        raise DomainError(
            _("You do not meet the charter's conditions: %(reasons)s")
            % {"reasons": "；".join(snapshot["reasons"])},
            field="seat",
            code="ineligible",
        )
    first_step = chain_steps(rnd.school, seat.chain_kind)[0]
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    school=rnd.school,
                    round=rnd,
                    student=student,
                    seat=seat,
                    second_seat=second_seat,
                    statement=statement,
                    step_since=timezone.now(),
                    eligible=snapshot["eligible"],
                    eligibility=snapshot,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("You have already applied in this round."), code="duplicate"
            ) from exc
        audit_record(
            school=rnd.school,
            actor=actor,
            action="selection.application.submitted",
            target=application,
            new={
                "student": student.student_no,
                "seat": str(seat),
                "second_seat": str(second_seat) if second_seat else None,
                "eligible": snapshot["eligible"],
            },
        )
        notify(
            users=approvers(first_step, application),
            school=rnd.school,
            text=_("%(name)s applied for %(seat)s; %(step)s waits for you.")
            % {"name": student.name, "seat": str(seat), "step": first_step.name},
            url=_application_url(application),
        )
    return application


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__union__school", "student__user", "student__school", "seat__body")
        .get(pk=application.pk)
    )


def may_withdraw(application: Application) -> bool:
    """An application still in review, returned or held may be withdrawn by its applicant."""
    return application.status in OPEN_APPLICATION


def application_withdraw(*, actor, application: Application) -> Application:
    with transaction.atomic():
        application = _locked_application(application)
        if application.student.user_id != getattr(actor, "pk", None):
            raise _forbidden()
        if not may_withdraw(application):
            raise DomainError(_("This application can no longer be withdrawn."))
        old = application.status
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        audit_record(
            school=application.school,
            actor=actor,
            action="selection.application.withdrawn",
            target=application,
            old={"status": old},
            new={"status": application.status},
        )
    return application


def application_resubmit(*, actor, application: Application, statement: str) -> Application:
    """After a return for changes, the applicant answers and the same step looks again."""
    statement = statement.strip()
    if len(statement) < 10:
        raise DomainError(
            _("Write a statement of at least 10 characters about why you apply."),
            field="statement",
        )
    with transaction.atomic():
        application = _locked_application(application)
        if application.student.user_id != getattr(actor, "pk", None):
            raise _forbidden()
        if application.status != ApplicationStatus.RETURNED:
            raise DomainError(_("Only an application returned for changes can be resubmitted."))
        application.statement = statement
        application.status = ApplicationStatus.IN_REVIEW
        application.cycle += 1
        application.step_since = timezone.now()
        application.save(update_fields=["statement", "status", "cycle", "step_since", "updated_at"])
        audit_record(
            school=application.school,
            actor=actor,
            action="selection.application.resubmitted",
            target=application,
            old={"status": ApplicationStatus.RETURNED},
            new={"status": application.status, "cycle": application.cycle},
        )
        step = current_step(application)
        notify(
            users=approvers(step, application),
            school=application.school,
            text=_("%(name)s resubmitted the application; %(step)s waits for you.")
            % {"name": application.student.name, "step": step.name},
            url=_application_url(application),
        )
    return application


def current_step(application: Application) -> ChainStep:
    steps = chain_steps(application.school, application.seat.chain_kind)
    return steps[application.step - 1]


# -- acting on a step -----------------------------------------------------------------------


def step_act(
    *,
    actor,
    application: Application,
    decision: str,
    comment: str = "",
    step: int | None = None,
    cycle: int | None = None,
) -> StepAction:
    """An office decides on the step the application waits at. ``step``/``cycle`` are what the
    actor saw; if the application has moved on meanwhile, the actor is told instead of acting
    on the wrong step."""
    if decision not in Decision.values:
        raise DomainError(_("Choose approve, return or reject."), field="decision")
    comment = comment.strip()
    if decision != Decision.APPROVE and not comment:
        raise DomainError(_("Say why, so the applicant knows what to do."), field="comment")
    viewer = build_viewer(actor)
    with transaction.atomic():
        application = _locked_application(application)
        if application.status != ApplicationStatus.IN_REVIEW:
            raise DomainError(
                _("This application is %(status)s; there is nothing to decide.")
                % {"status": application.get_status_display()},
                code="stale",
            )
        if (step is not None and step != application.step) or (
            cycle is not None and cycle != application.cycle
        ):
            raise DomainError(
                _("Someone acted on this application while you were looking; it has moved on."),
                code="stale",
            )
        steps = chain_steps(application.school, application.seat.chain_kind)
        current = steps[application.step - 1]
        roles = acting_roles(viewer, current, application)
        done = set(
            StepAction.objects.filter(
                application=application, cycle=application.cycle, step=application.step
            ).values_list("role", flat=True)
        )
        roles = [r for r in roles if r not in done]
        if not roles:
            if acting_roles(viewer, current, application):
                raise DomainError(
                    _("Your office has already decided on this step."), code="duplicate"
                )
            raise _forbidden(_("This step is not for your office."))
        role = roles[0]
        now = timezone.now()
        try:
            with transaction.atomic():
                action = StepAction.objects.create(
                    application=application,
                    cycle=application.cycle,
                    step=application.step,
                    role=role,
                    decision=decision,
                    comment=comment,
                    actor=actor,
                    at=now,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("Your office has already decided on this step."), code="duplicate"
            ) from exc
        old = {"status": application.status, "step": application.step}
        next_step = None
        if decision == Decision.REJECT:
            application.status = ApplicationStatus.REJECTED
        elif decision == Decision.RETURN:
            application.status = ApplicationStatus.RETURNED
        elif set(current.roles) <= done | {role}:
            if application.step < len(steps):
                application.step += 1
                application.step_since = now
                next_step = steps[application.step - 1]
            else:
                _finish(actor, application)
        application.save()
        audit_record(
            school=application.school,
            actor=actor,
            action=STEP_ACTIONS[decision],
            target=application,
            old=old,
            new={
                "status": application.status,
                "step": application.step,
                "office": role,
                "step_name": current.name,
                "comment": comment,
            },
        )
        _tell(application, current, decision, comment, next_step)
    return action


def _tell(application, current, decision, comment, next_step) -> None:
    url = _application_url(application)
    student = application.student
    if next_step is not None:
        notify(
            users=approvers(next_step, application),
            school=application.school,
            text=_("%(name)s's application for %(seat)s waits for you at %(step)s.")
            % {"name": student.name, "seat": str(application.seat), "step": next_step.name},
            url=url,
        )
    texts = {
        ApplicationStatus.REJECTED: _("Your application was not approved at %(step)s: %(c)s"),
        ApplicationStatus.RETURNED: _("Your application was returned at %(step)s: %(c)s"),
        ApplicationStatus.APPOINTED: _("You are appointed %(seat)s."),
        ApplicationStatus.HELD: _("Your application is approved and waits for a place: %(c)s"),
        ApplicationStatus.CANDIDATE: _("You are a candidate for the congress election."),
    }
    if application.status in texts:
        text = texts[application.status] % {
            "step": current.name,
            "c": comment or application.held_reason,
            "seat": str(application.seat),
        }
    elif next_step is not None:
        text = _("Your application passed %(step)s.") % {"step": current.name}
    else:
        return
    notify(users=[student.user], school=application.school, text=text, url=url)


# -- appointment ----------------------------------------------------------------------------


def _finish(actor, application: Application) -> None:
    """The last step approved: presidium candidates go to the congress; others are appointed
    if the charter still allows it, or wait with the reason."""
    if application.seat.chain_kind == ChainKind.PRESIDIUM:
        application.status = ApplicationStatus.CANDIDATE
        return
    _appoint(actor, application)


def _appoint(actor, application: Application) -> None:
    start = max(application.round.term_start, timezone.localdate())
    try:
        with transaction.atomic():
            membership = org_services.membership_create(
                actor=actor,
                body=application.seat.body,
                student=application.student,
                title=application.seat.title,
                start=start,
                source=f"selection:{application.pk}",
            )
    except DomainError as exc:
        application.status = ApplicationStatus.HELD
        application.held_reason = exc.message
        return
    application.membership = membership
    application.status = ApplicationStatus.APPOINTED
    application.held_reason = ""


def application_retry(*, actor, application: Application) -> Application:
    """Try again to appoint an application that waits for a place."""
    if not build_viewer(actor).can_manage_union(application.round.union):
        raise _forbidden()
    with transaction.atomic():
        application = _locked_application(application)
        if application.status != ApplicationStatus.HELD:
            raise DomainError(_("Only an application waiting for a place can be retried."))
        _appoint(actor, application)
        application.save()
        audit_record(
            school=application.school,
            actor=actor,
            action="selection.application.retried",
            target=application,
            old={"status": ApplicationStatus.HELD},
            new={"status": application.status, "held_reason": application.held_reason},
        )
        _tell(application, current_step(application), Decision.APPROVE, "", None)
    return application


def election_record(*, actor, application: Application, elected: bool) -> Application:
    """Record the congress's election result for a presidium candidate (by hand until the
    congress module records it itself)."""
    viewer = build_viewer(actor)
    if not viewer.is_league_committee(application.school):
        raise _forbidden()
    with transaction.atomic():
        application = _locked_application(application)
        if application.status != ApplicationStatus.CANDIDATE:
            raise DomainError(_("Only a candidate's election result can be recorded."))
        if elected:
            _appoint(actor, application)
        else:
            application.status = ApplicationStatus.NOT_ELECTED
        application.save()
        audit_record(
            school=application.school,
            actor=actor,
            action="selection.election.recorded",
            target=application,
            old={"status": ApplicationStatus.CANDIDATE},
            new={"elected": elected, "status": application.status},
        )
        _tell(application, current_step(application), Decision.APPROVE, "", None)
    return application
