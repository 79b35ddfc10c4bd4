"""Five checklist items evaluated from records instead of registered documents.

- 7 candidates' procedure: every current presidium member and department head of the school
  union was appointed through the school's approval chain, every step approved by each office
  it names, and the chain includes the offices the national standard requires.
- 10 congress coverage: the latest congress held in the system had delegates from every college
  at or above its quota, from every grade and every major society.
- 12 Party leadership: a school leader in charge of the union on the day, a work plan of the year
  naming the union, and the Party committee having heard the union's report within a year.
- 13 League guidance: the advisor and secretary-general teachers (the charter's guidance record).
- 14 filing: filings accepted by the League committee within a year, and no major activity or
  external contact held within the year without an approved filing (approved by the assessment
  day; the activities module publishes such an activity only once it is approved).

Registered with the self-assessment in ``apps.ready``. Each result carries ``basis="data"`` and
the records it rests on (``refs``: type, id, label).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tuanxue.charter.assessment import check_league_guidance, context_quota, guidances
from tuanxue.charter.verdicts import FAIL, NOT_EVIDENCED, PASS, ItemResult, by_school
from tuanxue.org.models import HEAD_TITLES, Role
from tuanxue.oversight.models import (
    AssignmentKind,
    Filing,
    FilingKind,
    FilingStatus,
    HearingTopic,
    LeaderAssignment,
    LeaderLecture,
    ReportHearing,
    WorkPlan,
)

YEAR = dt.timedelta(days=365)


def _ref(obj, label: str) -> dict:
    return {"type": obj._meta.label_lower, "id": obj.pk, "label": label}


def _result(status, actual, limit, refs, detail, core=True) -> ItemResult:
    return ItemResult(
        "",
        "",
        core,
        status,
        actual,
        limit,
        [r["label"] for r in refs],
        detail,
        basis="data",
        refs=refs,
    )


# -- 12 Party leadership ---------------------------------------------------------------------


def hearing_label(h: ReportHearing) -> str:
    topics = "、".join(str(HearingTopic(t).label) for t in h.topics if t in HearingTopic.values)
    return _("%(day)s %(meeting)s heard the union's report (%(topics)s)") % {
        "day": h.held_on.isoformat(),
        "meeting": h.meeting,
        "topics": topics,
    }


def assignment_label(a: LeaderAssignment) -> str:
    since = _("since %(day)s") % {"day": a.start.isoformat()}
    who = f"{a.leader}（{a.position}）" if a.position else a.leader
    return f"{a.get_kind_display()}：{who}，{since}"


def _school_unions(loads) -> list[int]:
    return [ctx.school_union.union.pk for ctx in loads.contexts]


def _assignments(loads) -> dict:
    day = loads.day
    return by_school(
        LeaderAssignment.objects.filter(
            school__in=loads.schools, union_id__in=_school_unions(loads), start__lte=day
        )
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .order_by("kind", "-start")
    )


def _plans(loads) -> dict:
    year = loads.day.year
    return by_school(
        WorkPlan.objects.filter(school__in=loads.schools, year__in=[year, year - 1]).order_by(
            "-year", "-pk"
        )
    )


def _hearings(loads) -> dict:
    day = loads.day
    return by_school(
        ReportHearing.objects.filter(
            school__in=loads.schools,
            union_id__in=_school_unions(loads),
            held_on__lte=day,
            held_on__gt=day - YEAR,
        ).order_by("-held_on")
    )


def _lectures(loads) -> dict:
    day = loads.day
    return by_school(
        LeaderLecture.objects.filter(
            school__in=loads.schools, given_on__lte=day, given_on__gt=day - YEAR
        ).order_by("-given_on")
    )


def check_party_leadership(ctx) -> ItemResult:
    assignments = ctx.load(_assignments, [])
    in_charge = [a for a in assignments if a.kind == AssignmentKind.IN_CHARGE]
    plans = ctx.load(_plans, [])
    hearings = ctx.load(_hearings, [])
    lectures = ctx.load(_lectures, [])
    refs = [_ref(a, assignment_label(a)) for a in assignments]
    refs += [_ref(p, f"{p.year} {p.document}") for p in plans]
    refs += [_ref(h, hearing_label(h)) for h in hearings]
    refs += [
        _ref(x, f"{x.given_on.isoformat()} {x.leader}：{x.title}（{x.get_occasion_display()}）")
        for x in lectures
    ]
    actual = {
        "leader_in_charge": len(in_charge),
        "work_plans": len(plans),
        "reports_heard": len(hearings),
        "lectures": len(lectures),
    }
    if not refs:
        return _result(NOT_EVIDENCED, actual, None, [], _("no oversight record yet"))
    missing = []
    if not in_charge:
        missing.append(_("no school leader is in charge of the union on this day"))
    if not plans:
        missing.append(_("no work plan of this or last year names the union"))
    if not hearings:
        missing.append(_("the Party committee has not heard the union's report within a year"))
    detail = "；".join(missing) or _(
        "leader in charge, work plan and report heard within a year all recorded"
    )
    return _result(FAIL if missing else PASS, actual, None, refs, detail)


# -- 13 League guidance ----------------------------------------------------------------------


def check_guidance(ctx) -> ItemResult:
    result = check_league_guidance(ctx)
    guidance = ctx.load(guidances)
    if guidance is not None:
        result.refs = [
            {
                "type": "charter.guidance",
                "id": guidance.pk,
                "label": label,
                "staff_id": person.pk,
            }
            for label, person in zip(
                result.evidence,
                [p for p in (guidance.advisor, guidance.secretary_general) if p is not None],
                strict=True,
            )
        ]
    result.basis = "data"
    return result


# -- 14 filing -------------------------------------------------------------------------------


def _filings(loads) -> dict:
    day, since = loads.day, loads.day - YEAR
    return by_school(
        Filing.objects.filter(
            school__in=loads.schools,
            status=FilingStatus.ACCEPTED,
            reviews__decision="accept",
            reviews__at__date__lte=day,
            occurs_on__gt=since,
            occurs_on__lte=day + YEAR,
        )
        .filter(filed_at__date__lte=day)
        .distinct()
        .order_by("occurs_on")
    )


def _approved(loads) -> dict:
    from tuanxue.activities.models import FilingDecision

    day, since = loads.day, loads.day - YEAR
    return by_school(
        FilingDecision.objects.filter(
            activity__school__in=loads.schools,
            decision=FilingDecision.Decision.APPROVE,
            at__date__lte=day,
            at__date__gt=since,
        )
        .select_related("activity")
        .order_by("at"),
        key=lambda d: d.activity.school_id,
    )


def _held(loads) -> dict:
    """Major activities and external contacts held within the year, each with whether it was
    ever approved by the day."""
    from tuanxue.activities.models import Activity, FilingDecision

    day, since = loads.day, loads.day - YEAR
    held = list(
        Activity.objects.filter(
            school__in=loads.schools, starts_at__date__lte=day, starts_at__date__gt=since
        )
        .filter(Q(is_major=True) | ~Q(external_contact=""))
        .exclude(status="cancelled")
        .only("pk", "school_id", "title", "starts_at", "is_major", "external_contact")
    )
    ever_approved = set(
        FilingDecision.objects.filter(
            activity__in=[a.pk for a in held],
            decision=FilingDecision.Decision.APPROVE,
            at__date__lte=day,
        ).values_list("activity_id", flat=True)
    )
    return by_school([(a, a.pk in ever_approved) for a in held], key=lambda pair: pair[0].school_id)


def check_filing(ctx) -> ItemResult:
    filings = ctx.load(_filings, [])
    approved = ctx.load(_approved, [])
    held = ctx.load(_held, [])
    unfiled = [a for a, ever_approved in held if not ever_approved]
    counts = dict.fromkeys(FilingKind.values, 0)
    for f in filings:
        counts[f.kind] += 1
    for d in approved:
        counts[FilingKind.ACTIVITY if d.activity.is_major else FilingKind.EXTERNAL] += 1
    refs = [
        _ref(f, f"{f.get_kind_display()}：{f.title}（{f.occurs_on.isoformat()}）") for f in filings
    ]
    refs += [
        {
            "type": "activities.filingdecision",
            "id": d.pk,
            "label": f"{FilingKind(FilingKind.ACTIVITY if d.activity.is_major else FilingKind.EXTERNAL).label}："
            f"{d.activity.title}（{d.at.date().isoformat()}）",
        }
        for d in approved
    ]
    if unfiled:
        refs += [{"type": "activities.activity", "id": a.pk, "label": a.title} for a in unfiled]
        return _result(
            FAIL,
            counts,
            None,
            refs,
            _("held without an approved filing: %(titles)s")
            % {"titles": "、".join(a.title for a in unfiled)},
            core=False,
        )
    if not refs:
        return _result(
            NOT_EVIDENCED, counts, None, [], _("no filing accepted within a year"), core=False
        )
    return _result(
        PASS,
        counts,
        None,
        refs,
        _("%(n)s filings accepted by the League committee within a year") % {"n": len(refs)},
        core=False,
    )


# -- 7 candidates' procedure -----------------------------------------------------------------

# The offices the national standard requires on each chain.
REQUIRED_ROLES = {
    "presidium": [
        Role.COLLEGE_LEAGUE,
        Role.COLLEGE_PARTY,
        Role.STUDENT_AFFAIRS,
        Role.SCHOOL_LEAGUE,
        Role.SCHOOL_PARTY,
    ],
    "department": [Role.COLLEGE_LEAGUE, Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE],
}


def _chain_posts(ctx) -> list:
    """The school union's posts the chain must have appointed: presidium and heads."""
    s = ctx.school_union
    posts = list(s.presidium.members if s.presidium else [])
    posts += [m for d in s.departments for m in d.members if m.title in HEAD_TITLES]
    return posts


def _chains(loads) -> dict:
    """Each school's approval chains (in order) and their steps by chain kind."""
    from tuanxue.selection.models import ApprovalChain, ChainStep

    out = {s.pk: ([], {}) for s in loads.schools}
    for chain in ApprovalChain.objects.filter(school__in=loads.schools):
        out[chain.school_id][0].append(chain)
    for step in ChainStep.objects.filter(chain__school__in=loads.schools).select_related("chain"):
        out[step.chain.school_id][1].setdefault(step.chain.kind, []).append(step)
    return out


def _appointments(loads) -> dict:
    """The appointed application behind each chain post of every school (by membership), and
    the approvals given to each (by application)."""
    from tuanxue.selection.models import Application, ApplicationStatus, Decision, StepAction

    posts = [m.pk for ctx in loads.contexts for m in _chain_posts(ctx)]
    applications = {
        a.membership_id: a
        for a in Application.objects.filter(
            membership_id__in=posts, status=ApplicationStatus.APPOINTED
        )
    }
    approvals: dict[int, set] = {}
    for app_id, cycle, step, role in StepAction.objects.filter(
        application__in=[a.pk for a in applications.values()], decision=Decision.APPROVE
    ).values_list("application_id", "cycle", "step", "role"):
        approvals.setdefault(app_id, set()).add((cycle, step, role))
    return {"applications": applications, "approvals": approvals}


def check_selection_chain(ctx) -> ItemResult:
    posts = _chain_posts(ctx)
    if not posts:
        return _result(NOT_EVIDENCED, 0, 0, [], _("no presidium member or department head"))
    chains, steps = ctx.load(_chains, ([], {}))
    chain_gaps = []
    for kind, required in REQUIRED_ROLES.items():
        present = {r for step in steps.get(kind, []) for r in step.roles}
        lacking = [str(Role(r).label) for r in required if r not in present]
        if lacking:
            name = next((c for c in chains if c.kind == kind), None)
            chain_gaps.append(
                _("the chain %(chain)s lacks %(roles)s")
                % {"chain": name.name if name else kind, "roles": "、".join(lacking)}
            )
    appointments = ctx.loads.all(_appointments)
    applications, approvals = appointments["applications"], appointments["approvals"]
    through, failures, refs = 0, [], []
    for m in posts:
        kind = "presidium" if m.title not in HEAD_TITLES else "department"
        app = applications.get(m.pk)
        who = f"{m.student.name}（{m.get_title_display()}）"
        if app is None:
            failures.append(_("%(who)s: not appointed through the approval chain") % {"who": who})
            continue
        done = approvals.get(app.pk, set())
        missing = [
            step.name
            for step in steps.get(kind, [])
            if any((app.cycle, step.order, r) not in done for r in step.roles)
        ]
        if missing or not steps.get(kind):
            failures.append(
                _("%(who)s: steps not approved: %(steps)s")
                % {"who": who, "steps": "、".join(missing) or "—"}
            )
            continue
        through += 1
        refs.append(
            {
                "type": "selection.application",
                "id": app.pk,
                "label": _("%(who)s through %(n)s steps") % {"who": who, "n": len(steps[kind])},
            }
        )
    detail = "；".join(chain_gaps + failures[:20]) or _(
        "%(n)s presidium members and department heads appointed through the approval chains"
    ) % {"n": through}
    status = FAIL if chain_gaps or failures else PASS
    return _result(status, through, len(posts), refs, detail)


# -- 10 congress coverage --------------------------------------------------------------------


def _congress_sessions(loads) -> dict:
    """Each school union's latest congress session closed by the day."""
    from tuanxue.congress.models import CongressSession, SessionStatus

    out = {}
    for session in (
        CongressSession.objects.filter(
            union_id__in=_school_unions(loads),
            held_on__lte=loads.day,
            status=SessionStatus.CLOSED,
        )
        .select_related("school", "union")
        .order_by("-held_on", "-pk")
    ):
        out.setdefault(session.school_id, session)
    return out


def check_delegate_coverage(ctx) -> ItemResult:
    from tuanxue.congress.sessions.quota import coverage

    session = ctx.load(_congress_sessions)
    if session is None:
        quota, _rows = context_quota(ctx)
        congress = ctx.congress
        if congress is not None and congress.delegates < quota:
            return _result(
                FAIL,
                {"delegates": congress.delegates, "quota": quota},
                None,
                [],
                _("fewer delegates than the colleges' quotas add up to"),
                core=False,
            )
        return _result(
            NOT_EVIDENCED,
            None,
            None,
            [],
            _("no congress held in the system; its delegates cannot be checked"),
            core=False,
        )
    cov = coverage(session)
    colleges = len(cov.quotas.rows)
    at_quota = sum(1 for row in cov.quotas.rows if row.ok)
    actual = {
        "congress_date": session.held_on.isoformat(),
        "delegates": cov.delegates,
        "quota": cov.quotas.total,
        "colleges": colleges,
        "colleges_at_quota": at_quota,
        "grades": sum(1 for g in cov.grades if g.ok),
        "major_societies": sum(1 for g in cov.societies if g.ok),
        "share": round(cov.delegates / cov.quotas.students, 4) if cov.quotas.students else None,
    }
    refs = [
        {
            "type": "congress.congresssession",
            "id": session.pk,
            "label": f"{session.name}（{session.held_on.isoformat()}）",
        }
    ]
    detail = (
        "；".join(cov.gaps)
        if cov.gaps
        else _(
            "%(delegates)s delegates on %(day)s: all %(colleges)s colleges at or above quota, "
            "every grade and every major society represented"
        )
        % {"delegates": cov.delegates, "day": session.held_on.isoformat(), "colleges": colleges}
    )
    return _result(PASS if cov.ok else FAIL, actual, cov.quotas.total, refs, detail, core=False)


CHECKS = {
    "selection_chain": check_selection_chain,
    "delegate_coverage": check_delegate_coverage,
    "party_leadership": check_party_leadership,
    "league_guidance": check_guidance,
    "filing": check_filing,
}


# -- words for the actual and limit columns --------------------------------------------------


def describe(check: str, item: ItemResult):
    a = item.actual
    if check == "selection_chain" and isinstance(a, int):
        return (
            ngettext(
                "%(n)s of %(total)s appointed through the chain",
                "%(n)s of %(total)s appointed through the chain",
                a,
            )
            % {"n": a, "total": item.limit},
            _("every presidium member and department head through the chain"),
        )
    if check == "delegate_coverage" and isinstance(a, dict) and "colleges" in a:
        return (
            _(
                "%(delegates)s delegates (quota %(quota)s); %(at)s of %(colleges)s colleges at "
                "quota; %(grades)s grades, %(societies)s major societies"
            )
            % {
                "delegates": a["delegates"],
                "quota": a["quota"],
                "at": a["colleges_at_quota"],
                "colleges": a["colleges"],
                "grades": a["grades"],
                "societies": a["major_societies"],
            },
            _("every college at quota, every grade and major society represented"),
        )
    if check == "party_leadership" and isinstance(a, dict):
        return (
            _(
                "leader in charge: %(leader)s; work plans: %(plans)s; reports heard: "
                "%(heard)s; lectures: %(lectures)s"
            )
            % {
                "leader": a["leader_in_charge"],
                "plans": a["work_plans"],
                "heard": a["reports_heard"],
                "lectures": a["lectures"],
            },
            _("a leader in charge, a work plan naming the union, a report heard within a year"),
        )
    if check == "filing" and isinstance(a, dict):
        return (
            "；".join(f"{FilingKind(k).label} {n}" for k, n in a.items()),
            _("filings accepted within a year; none held without one"),
        )
    return None
