"""The review app's hooks into lower apps: eligibility (a sanction) and the self-assessment
(the duty review item, evidenced by the sessions themselves, and its figures)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tuanxue.review.models import PanelKind, ReviewSession, ReviewStatus
from tuanxue.review.records.discipline import sanctions_in_force


def sanction_reasons(students, day, rules) -> dict[int, str]:
    """Students made ineligible on ``day`` by a sanction, with the reason (one query)."""
    n = rules.sanction_ineligible_semesters
    if not students or n <= 0:
        return {}
    by_student = sanctions_in_force(students, day, n)
    return {
        student_id: _(
            "Sanctioned on %(day)s (%(basis)s): not eligible for a post for %(n)s semesters "
            "under the charter"
        )
        % {"day": s.decided_on.isoformat(), "basis": s.basis, "n": n}
        for student_id, s in by_student.items()
    }


def latest_session(school, day, union=None):
    sessions = ReviewSession.objects.filter(
        school=school,
        held_on__lte=day,
        status__in=[ReviewStatus.CLOSED, ReviewStatus.PUBLISHED],
    )
    if union is not None:
        sessions = sessions.filter(union=union)
    return sessions.select_related("semester", "union", "school").order_by("-held_on").first()


GRACE_DAYS = 90


def semester_due(school, day, semesters=None):
    """The semester whose review is due by ``day``: the latest one that ended before it, or the
    one before that while the latest ended less than GRACE_DAYS ago (the review is held at the
    start of the next semester). ``semesters``: the school's calendar, when already read."""
    from tuanxue.core.models import Semester

    if semesters is None:
        ended = list(Semester.objects.filter(school=school, end__lt=day).order_by("-end")[:2])
    else:
        ended = sorted((s for s in semesters if s.end < day), key=lambda s: s.end, reverse=True)
        ended = ended[:2]
    if not ended:
        return None
    if (day - ended[0].end).days < GRACE_DAYS and len(ended) > 1:
        return ended[1], ended[0]
    return ended[0], None


def check_duty_review(ctx):
    """Pass when the school union's review of the semester due (or a later one) was held by the
    assessment day with a panel that meets the charter's composition rule and graded someone."""
    from tuanxue.charter.verdicts import FAIL, NOT_EVIDENCED, PASS, ItemResult

    session = _context_session(ctx)
    if session is None:
        return ItemResult(
            "", "", False, NOT_EVIDENCED, None, None, [], _("no review session recorded")
        )
    panel = ctx.load(_panels, {}).get(session.pk, [])
    students = panel.count(PanelKind.STUDENT)
    reviewed = _reviewed(ctx, session)
    rules = ctx.rules
    composed = (
        (not rules.review_student_majority or students * 2 > len(panel))
        and panel.count(PanelKind.STUDENT_AFFAIRS) >= rules.review_min_student_affairs
        and panel.count(PanelKind.LEAGUE) >= rules.review_min_league
    )
    due = semester_due(ctx.school, ctx.day, ctx.semesters)
    on_time = due is None or session.semester.start >= due[0].start
    url = reverse("review:session", args=[ctx.school.code, session.pk])
    detail = _(
        "%(semester)s review on %(day)s: %(students)s of %(panel)s panel members are student "
        "representatives, %(n)s reviewed"
    ) % {
        "semester": session.semester.code,
        "day": session.held_on.isoformat(),
        "students": students,
        "panel": len(panel),
        "n": reviewed,
    }
    if not on_time:
        detail += "；" + _("no review of %(semester)s") % {"semester": due[0].code}
    return ItemResult(
        "",
        "",
        False,
        PASS if composed and reviewed > 0 and on_time else FAIL,
        {
            "review_date": session.held_on.isoformat(),
            "semester": session.semester.code,
            "panel": len(panel),
            "student_representatives": students,
            "reviewees": reviewed,
        },
        _("student representatives a majority; Student Affairs and League committee present"),
        [url],
        detail,
    )


def _sessions(loads) -> dict:
    """Each school union's latest closed or published review session up to the day."""
    unions = [ctx.school_union.union.pk for ctx in loads.contexts]
    out = {}
    for session in (
        ReviewSession.objects.filter(
            union_id__in=unions,
            held_on__lte=loads.day,
            status__in=[ReviewStatus.CLOSED, ReviewStatus.PUBLISHED],
        )
        .select_related("semester", "union", "school")
        .order_by("-held_on", "-pk")
    ):
        out.setdefault(session.school_id, session)
    return out


def _panels(loads) -> dict:
    """The panel members' kinds of each school's session, by school and session."""
    from tuanxue.review.models import PanelMember

    sessions = {s.pk: school_id for school_id, s in loads.all(_sessions).items()}
    out: dict[int, dict[int, list]] = {}
    for session_id, kind in PanelMember.objects.filter(session_id__in=list(sessions)).values_list(
        "session_id", "kind"
    ):
        out.setdefault(sessions[session_id], {}).setdefault(session_id, []).append(kind)
    return out


def _reviewed_counts(loads) -> dict:
    """How many active reviewees of each school's session have a result."""
    from django.db.models import Count

    from tuanxue.review.models import Reviewee

    sessions = {s.pk: school_id for school_id, s in loads.all(_sessions).items()}
    return {
        sessions[line["session_id"]]: line["n"]
        for line in Reviewee.objects.filter(
            session_id__in=list(sessions), active=True, result__isnull=False
        )
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
    }


def _context_session(ctx):
    """The school union's latest review session for the assessment."""
    return ctx.load(_sessions)


def _reviewed(ctx, session) -> int:
    return ctx.load(_reviewed_counts, 0)


def review_figures(ctx) -> dict:
    session = _context_session(ctx)
    if session is None:
        return {"review_date": None, "reviewees": None}
    return {
        "review_date": session.held_on.isoformat(),
        "reviewees": _reviewed(ctx, session),
    }


def prefetch_first_items(contexts) -> None:
    """``first_item_rows`` of every union of the assessments' contexts in one query."""
    import datetime as dt

    from tuanxue.review.models import UnionMeeting

    if not contexts:
        return
    day = contexts[0].day
    structures = [s for ctx in contexts for s in ctx.structures]
    since = day - dt.timedelta(days=365)
    flagged: dict[int, list] = {s.union.pk: [] for s in structures}
    for union_id, held_on, title in (
        UnionMeeting.objects.filter(
            union_id__in=list(flagged),
            held_on__gt=since,
            held_on__lte=day,
            first_item_study=False,
        ).values_list("union_id", "held_on", "title")  # the model's order: latest first
    ):
        flagged[union_id].append((held_on, title))
    for s in structures:
        s._first_item_rows = _first_item_rows(flagged[s.union.pk])


def _first_item_rows(flagged) -> list:
    from tuanxue.charter.compliance import RuleRow

    rule = _("meetings whose first agenda item is not study (第一议题)")
    if flagged:
        rule = f"{rule}：" + "、".join(f"{day:%Y-%m-%d} {title}" for day, title in flagged)
    return [RuleRow("first_item", rule, len(flagged), "0", not flagged)]


def first_item_rows(structure, rules) -> list:
    """Meetings of the year up to the structure's day whose first agenda item is not study."""
    import datetime as dt

    from tuanxue.review.models import UnionMeeting

    cached = getattr(structure, "_first_item_rows", None)
    if cached is not None:
        return cached
    since = structure.day - dt.timedelta(days=365)
    flagged = list(
        UnionMeeting.objects.filter(
            union=structure.union,
            held_on__gt=since,
            held_on__lte=structure.day,
            first_item_study=False,
        ).values_list("held_on", "title")
    )
    rows = _first_item_rows(flagged)
    structure._first_item_rows = rows  # the same structure is checked by several items
    return rows
