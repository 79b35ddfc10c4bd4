"""Volunteer projects and their sign-up (项目化招募): create a project, sign up first come, by
lottery or by review, withdraw with automatic promotion from the waiting list, close (事完人散).

How a rush stays correct, on PostgreSQL and on SQLite:

- One place per student and project: the unique constraint ``one_place_per_project``. A second
  submission is refused with code ``duplicate`` (found under the student's row lock, or, as a
  last resort, by the constraint itself).
- Never oversold: ``VolunteerRole.taken`` changes only by a conditional UPDATE
  (``taken < slots``) whose row count says whether the place was won; the CHECK constraint
  ``never_oversold`` is the backstop.
- Durable before told: ``signup`` runs in a durable transaction (it refuses to run inside
  another one), so when it returns "confirmed" the row has been committed.
- Waiting-list order: in first-come mode a sign-up that finds the role full gets
  ``queue_no`` = its own id. Ids come from the table's sequence in the order the rows are
  inserted, so the waiting list is in order of arrival at the database; a gap left by a
  refused (rolled back) sign-up changes nothing. After a lottery the waiting list is the drawn
  order (1, 2, …). Promotion always takes the smallest ``queue_no``.
- Locks are always taken in the same order (project → student → role → sign-up rows), so two
  operations never wait for each other in a circle. The audit event takes no lock (it is
  chained after commit, see docs/audit.md).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities.models import (
    ACTIVE_SIGNUP,
    ProjectStatus,
    Signup,
    SignupMode,
    SignupStatus,
    VolunteerProject,
    VolunteerRole,
)
from tuanxue.activities.volunteer import hotsql
from tuanxue.activities.volunteer.common import (
    CODE_CLOSED,
    CODE_DUPLICATE,
    CODE_FULL,
    CODE_NOT_ELIGIBLE,
    CODE_OVERLAP,
    forbidden,
    local_time,
    project_url,
    still_recruiting,
)
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.org.access import student_of
from tuanxue.org.models import Student

# -- signing up ----------------------------------------------------------------------------


def accepts_signups(project: VolunteerProject, now=None) -> bool:
    now = now or timezone.now()
    return (
        project.status == ProjectStatus.RECRUITING and project.opens_at <= now < project.closes_at
    )


def role_for_signup(
    project: VolunteerProject, role_id: int, student: Student | None
) -> VolunteerRole | None:
    """The role of ``project`` with ``role_id``. For a student, the requirement checks and
    whether they have signed up in the project already come in the same statement (so a
    sign-up in a rush spends no query on them)."""
    if student is not None:
        return hotsql.role_with_checks(project.pk, role_id, student)
    return VolunteerRole.objects.filter(project_id=project.pk, pk=role_id).first()


def requirement_problem(student: Student, project: VolunteerProject, role: VolunteerRole):
    """Why ``student`` may not take ``role`` (a message), or None. Uses the checks made by
    ``role_for_signup`` or prefetched requirements when the caller loaded them."""
    if getattr(role, "checked_for", None) == student.pk:
        from_bad = role.req_from and not role.req_from_ok
        college_bad = role.req_colleges and not role.req_college_ok
        class_bad = role.req_classes and not role.req_class_ok
    else:
        from_classes = [c.pk for c in project.from_classes.all()]
        colleges = [c.pk for c in role.colleges.all()]
        classes = [c.pk for c in role.classes.all()]
        from_bad = bool(from_classes) and student.class_group_id not in from_classes
        college_bad = bool(colleges) and student.college_id not in colleges
        class_bad = bool(classes) and student.class_group_id not in classes
    if from_bad:
        return _("This project recruits from certain classes only, and yours is not one.")
    if college_bad:
        return _("%(role)s is for students of certain colleges only.") % {"role": role.name}
    if role.grades and student.grade not in role.grades:
        grades = "、".join(str(g) for g in role.grades)
        return _("%(role)s is for the grades %(grades)s only.") % {
            "role": role.name,
            "grades": grades,
        }
    if class_bad:
        return _("%(role)s is for students of certain classes only.") % {"role": role.name}
    return None


def _duplicate(status: str, role_name: str) -> DomainError:
    """The refusal of a second sign-up in a project where the student has ``status``."""
    if status == SignupStatus.WITHDRAWN:
        return DomainError(
            _("You withdrew from this project and cannot sign up again."), code=CODE_DUPLICATE
        )
    return DomainError(
        _("You have already signed up for this project (%(role)s).") % {"role": role_name},
        code=CODE_DUPLICATE,
    )


def _clash(student: Student, project: VolunteerProject, role: VolunteerRole) -> None:
    """Refuse a second sign-up in the project, or a shift overlapping one the student holds."""
    found = hotsql.clashing(student.pk, project.pk, role)
    for _pk, project_id, status, role_name in found:
        if project_id == project.pk:
            raise _duplicate(status, role_name)
    if found:
        # An overlap: its row is read again, with the project and the times the message names.
        row = Signup.objects.select_related("role__project").get(pk=found[0][0])
        raise DomainError(
            _("This shift overlaps your shift as %(role)s in %(project)s (%(start)s to %(end)s).")
            % {
                "role": row.role.name,
                "project": row.role.project.title,
                "start": local_time(row.role.shift_starts_at),
                "end": local_time(row.role.shift_ends_at),
            },
            code=CODE_OVERLAP,
        )


def waiting_position(signup: Signup) -> int | None:
    """1 for the first on the role's waiting list; None when not waiting."""
    if signup.status != SignupStatus.WAITING or signup.queue_no is None:
        return None
    return hotsql.waiting_ahead(signup.role_id, signup.queue_no) + 1


def signup(*, actor, project: VolunteerProject, role: VolunteerRole) -> tuple[Signup, int | None]:
    """Sign the actor's student up for ``role``. Returns the sign-up (confirmed, waiting or
    pending) and, when waiting, the position on the waiting list. The row is committed when
    this returns, so it must not be called inside another transaction."""
    now = timezone.now()
    student = student_of(actor, project.school)
    if student is None:
        raise DomainError(_("Only students of this school can sign up."), code=CODE_NOT_ELIGIBLE)
    if role.project_id != project.pk:
        raise DomainError(_("Choose a role of this project."), field="role")
    if project.status != ProjectStatus.RECRUITING:
        raise DomainError(_("This project has closed."), code=CODE_CLOSED)
    if now < project.opens_at:
        raise DomainError(
            _("Sign-up opens at %(time)s.") % {"time": local_time(project.opens_at)},
            code=CODE_CLOSED,
        )
    if now >= project.closes_at:
        raise DomainError(
            _("Sign-up closed at %(time)s.") % {"time": local_time(project.closes_at)},
            code=CODE_CLOSED,
        )
    problem = requirement_problem(student, project, role)
    if problem:
        raise DomainError(problem, code=CODE_NOT_ELIGIBLE)
    # Before any lock: a repeated submission whose first one has committed is refused here
    # (``role_for_signup`` has looked already; otherwise this looks).
    if getattr(role, "checked_for", None) != student.pk:
        _clash(student, project, role)
    elif role.already is not None:
        raise _duplicate(*role.already)
    first_come = project.mode == SignupMode.FIRST_COME
    exclusive = False
    while True:
        status = SignupStatus.CONFIRMED if first_come else SignupStatus.PENDING
        try:
            row = _signup_in_transaction(actor, project, role, student, status, exclusive)
        except _PlaceFreed:
            # Rare: a place was freed while the role was full. Upgrading the shared lock while
            # other sign-ups share it could deadlock, so start again taking it exclusively.
            exclusive = True
            continue
        except IntegrityError as exc:
            # Only the unique (project, student) can refuse the insert: the place itself is
            # taken by the conditional update, never by a write the CHECK has to stop.
            raise DomainError(
                _("You have already signed up for this project."), code=CODE_DUPLICATE
            ) from exc
        ahead = row.__dict__.pop("waiting_ahead", None)  # counted by the INSERT itself
        return row, (ahead + 1 if ahead is not None else waiting_position(row))


class _PlaceFreed(Exception):
    pass


def _signup_in_transaction(actor, project, role, student, status, exclusive: bool) -> Signup:
    """The sign-up's one transaction, after every check that needs no lock was done."""
    first_come = project.mode == SignupMode.FIRST_COME
    with transaction.atomic(durable=True):
        # One student at a time: their double submissions queue here and the second one
        # finds the first one's row. (This lock is the student's own, never shared.)
        hotsql.lock_student(student.pk)
        _clash(student, project, role)
        if first_come:
            # From here the role's row is held only by the winner: the conditional UPDATE,
            # the re-read of the project's status, the INSERTs and the commit.
            # A role that was full when read before the transaction is not tried: the shared
            # read below finds a place freed since (and starts again to take it).
            won = role.taken < role.slots and hotsql.take_place(role.pk)
            if not won:
                # Full: a shared lock orders this sign-up against a withdrawal that frees a
                # place (it takes the row exclusively): the withdrawal either comes before
                # (the place is ours) or after (it finds this row on the waiting list).
                # Losers share it, so they do not queue behind each other; one that finds a
                # place free starts again (``_PlaceFreed``) and then takes the row exclusively.
                if exclusive:
                    locked = VolunteerRole.objects.select_for_update().get(pk=role.pk)
                    won = locked.taken < locked.slots and hotsql.take_place(role.pk)
                else:
                    taken, slots, recruiting = hotsql.share_role(role.pk)
                    if taken < slots:
                        raise _PlaceFreed
                    if not recruiting:
                        raise DomainError(_("This project has closed."), code=CODE_CLOSED)
                if not won:
                    status = SignupStatus.WAITING
            if won or exclusive:
                still_recruiting(project.pk)
        else:
            # Pending: no place changes hands now; the role's lock only orders this sign-up
            # before or after a close, a draw or a review.
            VolunteerRole.objects.select_for_update().get(pk=role.pk)
            still_recruiting(project.pk)
        row = hotsql.insert_signup(project, role, student, status)
        audit_record(
            school=project.school,
            actor=actor,
            action="volunteer.signup.created",
            target=row,
            new={
                "project": project.pk,
                "role": role.pk,
                "student": student.student_no,
                "status": row.status,
                "queue_no": row.queue_no,
            },
            label=f"{student.name} · {project.title} · {role.name}",
        )
    return row


# -- withdrawing and the waiting list ------------------------------------------------------


def may_withdraw(signup: Signup, now=None) -> bool:
    """The student may still give up this sign-up (the rule the withdrawal enforces)."""
    now = now or timezone.now()
    project = signup.project
    return (
        signup.status in ACTIVE_SIGNUP
        and project.status == ProjectStatus.RECRUITING
        and now < project.withdraw_until
    )


def signup_withdraw(*, actor, signup: Signup) -> Signup:
    """The student gives up their place (or their wish for one) before the project's
    withdrawal deadline. A confirmed place goes to the first on the waiting list, who is told;
    with nobody waiting it is freed."""
    now = timezone.now()
    project = signup.project
    student = student_of(actor)
    if student is None or student.pk != signup.student_id:
        raise forbidden(_("Only the student who signed up can withdraw."))
    if project.status != ProjectStatus.RECRUITING:
        raise DomainError(_("This project has closed."), code=CODE_CLOSED)
    if now >= project.withdraw_until:
        raise DomainError(
            _("Withdrawals closed at %(time)s. If you cannot come, tell the organisers directly.")
            % {"time": local_time(project.withdraw_until)},
            code=CODE_CLOSED,
        )
    promoted = None
    with transaction.atomic():
        role = VolunteerRole.objects.select_for_update().get(pk=signup.role_id)
        row = Signup.objects.select_for_update().get(pk=signup.pk)
        still_recruiting(project.pk)
        if row.status not in ACTIVE_SIGNUP:
            raise DomainError(
                _("This sign-up is %(status)s already.") % {"status": row.get_status_display()},
                code=CODE_CLOSED,
            )
        old = row.status
        row.status = SignupStatus.WITHDRAWN
        row.save(update_fields=["status", "updated_at"])
        audit_record(
            school=project.school,
            actor=actor,
            action="volunteer.signup.withdrawn",
            target=row,
            old={"status": old},
            new={"status": row.status},
            label=f"{student.name} · {project.title} · {role.name}",
        )
        if old == SignupStatus.CONFIRMED:
            promoted = (
                Signup.objects.select_for_update(of=("self",))
                .filter(role=role, status=SignupStatus.WAITING)
                .select_related("student__user")
                .order_by("queue_no", "pk")
                .first()
            )
            if promoted is not None:
                promoted.status = SignupStatus.CONFIRMED
                promoted.save(update_fields=["status", "updated_at"])
                audit_record(
                    school=project.school,
                    actor=actor,
                    action="volunteer.signup.promoted",
                    target=promoted,
                    old={"status": SignupStatus.WAITING, "queue_no": promoted.queue_no},
                    new={"status": SignupStatus.CONFIRMED},
                    label=f"{promoted.student.name} · {project.title} · {role.name}",
                )
                notify(
                    users=[promoted.student.user],
                    school=project.school,
                    text=_("A place became free: you are now confirmed as %(role)s in %(project)s.")
                    % {"role": role.name, "project": project.title},
                    url=project_url(project),
                )
            else:
                VolunteerRole.objects.filter(pk=role.pk, taken__gt=0).update(taken=F("taken") - 1)
    row.promoted = promoted
    return row


# The organisers' services live next door; they are part of this module's interface.
from tuanxue.activities.volunteer.organiser import (  # noqa: E402
    LotteryResult,
    lottery_draw,
    signup_review,
)
from tuanxue.activities.volunteer.projects import project_close, project_create  # noqa: E402

__all__ = [
    "CODE_CLOSED",
    "CODE_DUPLICATE",
    "CODE_FULL",
    "CODE_NOT_ELIGIBLE",
    "CODE_OVERLAP",
    "LotteryResult",
    "accepts_signups",
    "lottery_draw",
    "project_close",
    "project_create",
    "project_url",
    "requirement_problem",
    "role_for_signup",
    "signup",
    "signup_review",
    "signup_withdraw",
    "waiting_position",
]
