"""Review sessions: planning, the panel, reviewees, reports, score sheets, closing, publishing.

Every function checks the actor's right and the session's state, changes rows in one
transaction with the audit event, and tells those concerned. The charter in force on the
session's day sets the panel rule, the scale, the thresholds and the credit.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.rules import CharterRules
from tuanxue.charter.services import charter_in_force
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import Semester
from tuanxue.core.notify import notify
from tuanxue.org.access import build_viewer, student_of
from tuanxue.org.models import (
    HEAD_TITLES,
    PRESIDIUM_TITLES,
    Membership,
    Role,
    StaffPerson,
    Union,
)
from tuanxue.review.access import may_manage
from tuanxue.review.models import (
    DIMENSIONS,
    PanelKind,
    PanelMember,
    Reviewee,
    ReviewSession,
    ReviewStatus,
    ScoreSheet,
    dimension_labels,
)

MAX_REPORT = 20000


def forbidden(message: str | None = None) -> DomainError:
    return DomainError(message or _("You may not do this."), code="forbidden")


def rules_for(session: ReviewSession) -> tuple[CharterRules, str]:
    charter = charter_in_force(session.school, session.held_on)
    if charter is None:
        return CharterRules(), _("default rules")
    return charter.parsed, charter.version_label


def _require_manager(actor, union: Union) -> None:
    if actor is None:
        return
    if not may_manage(build_viewer(actor), union):
        raise forbidden(_("Only the League committee may manage the duty review."))


def _lock(session: ReviewSession) -> ReviewSession:
    return (
        ReviewSession.objects.select_for_update(of=("self",))
        .select_related("school", "union", "semester")
        .get(pk=session.pk)
    )


def _require_status(session: ReviewSession, *statuses: str) -> None:
    if session.status not in statuses:
        raise DomainError(
            _("The review session is %(status)s; this cannot be done now.")
            % {"status": session.get_status_display()},
            code="stale",
        )


def session_url(session: ReviewSession) -> str:
    return reverse("review:session", args=[session.school.code, session.pk])


# -- planning --------------------------------------------------------------------------------


def reviewee_posts(union: Union, semester: Semester, day: dt.date) -> list[Membership]:
    """Presidium members and department heads holding a post in the union at any time from the
    semester's start to the review's day (the review is held after the semester), one post per
    student (the latest)."""
    posts = (
        Membership.objects.filter(
            union=union,
            title__in=[*PRESIDIUM_TITLES, *HEAD_TITLES],
            start__lte=day,
        )
        .filter(Q(end__isnull=True) | Q(end__gte=semester.start))
        .select_related("student", "body")
        .order_by("body__order", "body__name", "title", "student__student_no", "-start")
    )
    chosen: dict[int, Membership] = {}
    for post in posts:
        current = chosen.get(post.student_id)
        if current is None or post.start > current.start:
            chosen[post.student_id] = post
    return sorted(
        chosen.values(),
        key=lambda m: (m.body.kind != "presidium", m.body.order, m.title, m.student.student_no),
    )


def _post_label(m: Membership) -> str:
    return f"{m.body.name} {m.get_title_display()}"


def session_create(
    *, actor, union: Union, semester: Semester, held_on: dt.date, place: str = ""
) -> ReviewSession:
    """Plan the review of ``semester``; its reviewees are derived from the posts at once."""
    _require_manager(actor, union)
    if semester.school_id != union.school_id:
        raise DomainError(_("Choose a semester of this school."), field="semester")
    if held_on < semester.start:
        raise DomainError(
            _("The review of %(semester)s cannot be held before the semester starts (%(day)s).")
            % {"semester": semester.code, "day": semester.start.isoformat()},
            field="held_on",
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                session = ReviewSession.objects.create(
                    school=union.school,
                    union=union,
                    semester=semester,
                    held_on=held_on,
                    place=place.strip()[:120],
                )
        except IntegrityError as exc:
            raise DomainError(
                _("%(union)s already has a review session for %(semester)s.")
                % {"union": union.name, "semester": semester.code},
                field="semester",
            ) from exc
        posts = reviewee_posts(union, semester, held_on)
        Reviewee.objects.bulk_create(
            [
                Reviewee(
                    session=session, membership=m, student=m.student, post=_post_label(m), order=i
                )
                for i, m in enumerate(posts)
            ]
        )
        audit_record(
            school=union.school,
            actor=actor,
            action="review.session.created",
            target=session,
            new={
                "semester": semester.code,
                "held_on": held_on,
                "place": session.place,
                "reviewees": [m.student.student_no for m in posts],
            },
        )
        notify(
            users=[m.student.user for m in posts if m.student.user_id],
            school=union.school,
            text=_("You will report at %(session)s on %(day)s; write your duty report.")
            % {"session": str(session), "day": held_on.isoformat()},
            url=reverse("review:mine", args=[union.school.code]),
        )
    return session


def reviewee_add(*, actor, session: ReviewSession, membership: Membership, reason: str) -> Reviewee:
    _require_manager(actor, session.union)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the list of reviewees changes."), field="reason")
    if membership.union_id != session.union_id:
        raise DomainError(_("Choose a post in this union."), field="membership")
    with transaction.atomic():
        session = _lock(session)
        _require_status(session, ReviewStatus.PLANNED)
        if PanelMember.objects.filter(session=session, student=membership.student).exists():
            raise DomainError(
                _("%(name)s sits on the panel and cannot be reviewed by it.")
                % {"name": membership.student.name},
                field="membership",
            )
        existing = Reviewee.objects.filter(session=session, student=membership.student).first()
        if existing is not None and existing.active:
            raise DomainError(
                _("%(name)s is already on the list.") % {"name": membership.student.name},
                field="membership",
            )
        if existing is not None:
            existing.active, existing.change_reason = True, reason
            existing.save(update_fields=["active", "change_reason"])
            reviewee = existing
        else:
            reviewee = Reviewee.objects.create(
                session=session,
                membership=membership,
                student=membership.student,
                post=_post_label(membership),
                order=session.reviewees.count(),
                change_reason=reason,
            )
        audit_record(
            school=session.school,
            actor=actor,
            action="review.reviewee.added",
            target=reviewee,
            new={"student": membership.student.student_no, "reason": reason},
        )
    return reviewee


def reviewee_remove(*, actor, reviewee: Reviewee, reason: str) -> Reviewee:
    session = reviewee.session
    _require_manager(actor, session.union)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the list of reviewees changes."), field="reason")
    with transaction.atomic():
        session = _lock(session)
        _require_status(session, ReviewStatus.PLANNED)
        updated = Reviewee.objects.filter(pk=reviewee.pk, active=True).update(
            active=False, change_reason=reason
        )
        if not updated:
            raise DomainError(_("This person is no longer on the list."), code="stale")
        reviewee.refresh_from_db()
        audit_record(
            school=session.school,
            actor=actor,
            action="review.reviewee.removed",
            target=reviewee,
            old={"active": True},
            new={"active": False, "student": reviewee.student.student_no, "reason": reason},
        )
    return reviewee


# -- the panel -------------------------------------------------------------------------------


def panel_problems(
    rules: CharterRules, label: str, kinds: list[str], clashes: list[str]
) -> list[str]:
    """Why a panel of members of ``kinds`` breaks the charter (empty when it is fine)."""
    problems = []
    students = kinds.count(PanelKind.STUDENT)
    if rules.review_student_majority and students * 2 <= len(kinds):
        problems.append(
            _(
                "The charter (%(charter)s) requires student representatives to be a majority of "
                "the review panel: %(students)s of %(total)s is not."
            )
            % {"charter": label, "students": students, "total": len(kinds)}
        )
    for kind, minimum, what in (
        (PanelKind.STUDENT_AFFAIRS, rules.review_min_student_affairs, _("Student Affairs")),
        (PanelKind.LEAGUE, rules.review_min_league, _("the League committee")),
    ):
        if kinds.count(kind) < minimum:
            problems.append(
                _(
                    "The charter (%(charter)s) requires at least %(n)s panel member(s) from "
                    "%(office)s."
                )
                % {"charter": label, "n": minimum, "office": what}
            )
    for name in clashes:
        problems.append(
            _("%(name)s is reviewed in this session and cannot sit on its panel.") % {"name": name}
        )
    return problems


def _member_row(session: ReviewSession, user, kind: str) -> PanelMember:
    if kind not in PanelKind.values:
        raise DomainError(_("Unknown kind of panel member."), field="members")
    student = student_of(user, session.school)
    staff = StaffPerson.objects.filter(user=user, school=session.school).first()
    viewer = build_viewer(user)
    if kind == PanelKind.STUDENT and student is None:
        raise DomainError(
            _(
                "%(user)s is not a student of this school and cannot sit as a student "
                "representative."
            )
            % {"user": user.get_username()},
            field="members",
        )
    office = {
        PanelKind.STUDENT_AFFAIRS: {Role.STUDENT_AFFAIRS},
        PanelKind.LEAGUE: {Role.SCHOOL_LEAGUE, Role.COLLEGE_LEAGUE},
    }.get(kind)
    if office and not any(g.school_id == session.school_id for g in viewer.grants_for(*office)):
        raise DomainError(
            _("%(user)s does not hold a post in %(office)s.")
            % {"user": user.get_username(), "office": PanelKind(kind).label},
            field="members",
        )
    name = student.name if student else (staff.name if staff else user.get_username())
    return PanelMember(
        session=session,
        kind=kind,
        user=user,
        student=student if kind == PanelKind.STUDENT else None,
        staff=staff,
        name=name,
    )


def check_panel(session: ReviewSession, members: list[PanelMember]) -> None:
    rules, label = rules_for(session)
    reviewed = set(
        Reviewee.objects.filter(session=session, active=True).values_list("student_id", flat=True)
    )
    clashes = [m.name for m in members if m.student_id and m.student_id in reviewed]
    problems = panel_problems(rules, label, [m.kind for m in members], clashes)
    if problems:
        raise DomainError(" ".join(problems), field="members", code="charter")


def panel_set(*, actor, session: ReviewSession, members: list[tuple]) -> list[PanelMember]:
    """Set the whole panel (a list of (user, kind)); refused, naming the rule, when it breaks
    the charter's composition or seats a reviewee."""
    _require_manager(actor, session.union)
    users = [u for u, _k in members]
    if len({u.pk for u in users}) != len(users):
        raise DomainError(_("A person can sit on the panel only once."), field="members")
    with transaction.atomic():
        session = _lock(session)
        _require_status(session, ReviewStatus.PLANNED)
        rows = [_member_row(session, user, kind) for user, kind in members]
        check_panel(session, rows)
        old = list(session.panel.values_list("name", "kind"))
        session.panel.all().delete()
        PanelMember.objects.bulk_create(rows)
        audit_record(
            school=session.school,
            actor=actor,
            action="review.panel.set",
            target=session,
            old={"panel": old},
            new={"panel": [(r.name, r.kind) for r in rows]},
        )
        notify(
            users=[r.user for r in rows],
            school=session.school,
            text=_("You sit on the panel of %(session)s on %(day)s.")
            % {"session": str(session), "day": session.held_on.isoformat()},
            url=session_url(session),
        )
    return list(session.panel.all())


# -- reports, opening, scoring ----------------------------------------------------------------


def report_submit(*, actor, reviewee: Reviewee, text: str) -> Reviewee:
    """A reviewee submits (or replaces) their written duty report before the session closes.
    (``actor=None`` is the operator, e.g. the demo entering reports handed in on paper.)"""
    if actor is not None and reviewee.student.user_id != actor.pk:
        raise forbidden(_("Only the reviewee submits their own report."))
    text = text.strip()
    if not text:
        raise DomainError(_("Write your report before submitting it."), field="report")
    if len(text) > MAX_REPORT:
        raise DomainError(
            _("The report is longer than %(n)s characters.") % {"n": MAX_REPORT}, field="report"
        )
    with transaction.atomic():
        reviewee = Reviewee.objects.select_for_update(of=("self",)).get(pk=reviewee.pk)
        session = reviewee.session
        _require_status(session, ReviewStatus.PLANNED, ReviewStatus.OPEN)
        if not reviewee.active:
            raise DomainError(_("You are no longer on the list of reviewees."), code="stale")
        replaced = bool(reviewee.report)
        reviewee.report, reviewee.report_at = text, timezone.now()
        reviewee.save(update_fields=["report", "report_at"])
        audit_record(
            school=session.school,
            actor=actor,
            action="review.report.submitted",
            target=reviewee,
            new={"characters": len(text), "replaced": replaced},
        )
    return reviewee


def session_open(*, actor, session: ReviewSession) -> ReviewSession:
    _require_manager(actor, session.union)
    with transaction.atomic():
        session = _lock(session)
        _require_status(session, ReviewStatus.PLANNED)
        members = list(session.panel.all())
        if not members:
            raise DomainError(_("Set the panel before opening the session."), field="members")
        check_panel(session, members)
        if not session.reviewees.filter(active=True).exists():
            raise DomainError(_("Nobody is on the list of reviewees."))
        session.status, session.opened_at = ReviewStatus.OPEN, timezone.now()
        session.save(update_fields=["status", "opened_at"])
        audit_record(
            school=session.school,
            actor=actor,
            action="review.session.opened",
            target=session,
            old={"status": ReviewStatus.PLANNED},
            new={"status": ReviewStatus.OPEN},
        )
        notify(
            users=[m.user for m in members],
            school=session.school,
            text=_("Scoring is open: %(session)s.") % {"session": str(session)},
            url=reverse("review:score", args=[session.school.code, session.pk]),
        )
    return session


def panel_member_of(session: ReviewSession, user) -> PanelMember | None:
    if user is None or not user.is_authenticated:
        return None
    return PanelMember.objects.filter(session=session, user=user).first()


def parse_scores(rules: CharterRules, data: dict) -> dict[str, int]:
    """Each dimension on the charter's scale — a whole number from 0 to the maximum, or one of
    the school's grades (counted as its number); the message names the field."""
    labels = dimension_labels()
    grades = rules.review_scale_grades
    scores = {}
    for d in DIMENSIONS:
        raw = str(data.get(d, "")).strip()
        if grades:
            if raw not in grades:
                raise DomainError(
                    _("%(dimension)s: choose one of %(grades)s.")
                    % {"dimension": labels[d], "grades": "、".join(grades)},
                    field=d,
                )
            scores[d] = grades[raw]
            continue
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
            raise DomainError(
                _("%(dimension)s: enter a whole number from 0 to %(max)s.")
                % {"dimension": labels[d], "max": rules.review_scale_max},
                field=d,
            )
        value = int(raw)
        if value > rules.review_scale_max:
            raise DomainError(
                _("%(dimension)s: %(value)s is above the scale's maximum %(max)s.")
                % {"dimension": labels[d], "value": value, "max": rules.review_scale_max},
                field=d,
            )
        scores[d] = value
    return scores


def sheet_submit(
    *, actor, session: ReviewSession, reviewee: Reviewee, scores: dict, comment: str = ""
) -> ScoreSheet:
    """A panel member's sheet for one reviewee. One per member per reviewee: a second
    submission (a double tap, a second phone) is refused and the first sheet stands."""
    member = panel_member_of(session, actor)
    if member is None:
        raise forbidden(_("Only members of the panel score."))
    if reviewee.session_id != session.pk or not reviewee.active:
        raise DomainError(_("This person is not reviewed in this session."), field="reviewee")
    rules, _label = rules_for(session)
    values = parse_scores(rules, scores)
    comment = comment.strip()[:2000]
    with transaction.atomic():
        # The session row is locked so a sheet never lands after the session closed.
        session = _lock(session)
        _require_status(session, ReviewStatus.OPEN)
        try:
            with transaction.atomic():
                sheet = ScoreSheet.objects.create(
                    session=session,
                    member=member,
                    reviewee=reviewee,
                    comment=comment,
                    submitted_at=timezone.now(),
                    **values,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("You have already scored %(name)s; the first sheet stands.")
                % {"name": reviewee.student.name},
                code="duplicate",
            ) from exc
        audit_record(
            school=session.school,
            actor=actor,
            action="review.sheet.submitted",
            target=sheet,
            new={"reviewee": reviewee.student.student_no, **values},
        )
    return sheet
