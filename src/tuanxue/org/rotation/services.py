"""Executive chair rotation (轮值): each semester one presidium member is the executive chair.

What "fair" means here
----------------------

For each semester, in calendar order, the candidates are the union's presidium members who hold
their post on the semester's first day (a member whose post has ended by then is skipped for that
semester). The candidates are taken in a fixed order: earliest term start, then student number.
The chair of the semester is the candidate who has chaired the fewest semesters so far; among
those, the one whose last turn lies furthest back (never chaired counts as furthest); among
those, the first in the fixed order. Turns already recorded for earlier semesters of the same
posts count as "so far", so generating the second half of a term continues the first half.

Property (proved by induction and checked with hypothesis in tests/org/test_rotation.py): when
the members all hold their posts from the first semester of the schedule and only leave (nobody
joins midway), then for every k, after the first k semesters have been assigned, the chair counts
of the members serving on the first day of semester k differ by at most 1. In particular every
member chairs once before anyone chairs twice, and a member's leaving only shortens the cycle
for the others. (Induction: the members serving at semester k are a subset of those serving at
semester k-1, whose counts differ by at most 1; giving the next turn to one with the lowest count
keeps the difference at most 1.) A member who joins midway starts with no turns and so is served
first: they chair once before anyone else chairs again.

The executive chair's role follows the schedule: ``org.access.build_viewer`` gives
``Role.EXECUTIVE_CHAIR`` to the holder of the slot of the semester containing today, so the change
takes effect on the semester's first day without anyone acting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import Semester
from tuanxue.org.access import build_viewer
from tuanxue.org.models import (
    PRESIDIUM_TITLES,
    BodyKind,
    Membership,
    RotationSlot,
    Union,
)
from tuanxue.org.services import lock_union

# -- who may edit --------------------------------------------------------------------------


def _require_league_committee(actor, union: Union) -> None:
    if actor is None:
        return
    if not build_viewer(actor).guides_union(union):
        raise DomainError(
            _("Only the League committee may set the executive chair rotation."),
            code="forbidden",
        )


# -- the schedule, as a pure function ------------------------------------------------------


def fair_schedule(
    order: Sequence[Hashable],
    serving: Sequence[set],
    history: dict | None = None,
    last_turn: dict | None = None,
) -> list:
    """The chair of each semester: ``serving[k]`` are the members who may chair semester k,
    ``order`` is the fixed order of all members, ``history`` their turns so far and
    ``last_turn`` the (negative) index of their last turn. See the module docstring."""
    position = {m: i for i, m in enumerate(order)}
    counts = dict.fromkeys(order, 0)
    counts.update(history or {})
    last = dict(last_turn or {})
    chairs = []
    for k, candidates in enumerate(serving):
        if not candidates:
            chairs.append(None)
            continue
        chosen = min(
            candidates,
            key=lambda m: (counts.get(m, 0), last.get(m, -(10**9)), position.get(m, len(order))),
        )
        counts[chosen] = counts.get(chosen, 0) + 1
        last[chosen] = k
        chairs.append(chosen)
    return chairs


# -- reads ---------------------------------------------------------------------------------


def presidium_posts(union: Union) -> QuerySet[Membership]:
    """Every presidium post of the union, past and present, in the fixed order."""
    return (
        Membership.objects.filter(
            union=union, body__kind=BodyKind.PRESIDIUM, title__in=list(PRESIDIUM_TITLES)
        )
        .select_related("student")
        .order_by("start", "student__student_no", "pk")
    )


def serving_on(posts: Sequence[Membership], day: dt.date) -> list[Membership]:
    return [p for p in posts if p.start <= day and (p.end is None or p.end > day)]


def rotation_slots(union: Union) -> QuerySet[RotationSlot]:
    return (
        RotationSlot.objects.filter(union=union)
        .select_related("semester", "membership__student")
        .order_by("semester__start")
    )


def current_semester(school, day: dt.date | None = None) -> Semester | None:
    day = day or timezone.localdate()
    return (
        Semester.objects.filter(school=school, start__lte=day, end__gte=day)
        .order_by("start")
        .first()
    )


@dataclass
class PlannedTurn:
    semester: Semester
    membership: Membership


def _check_semesters(union: Union, semesters) -> list[Semester]:
    chosen = {s.pk: s for s in semesters}
    if not chosen:
        raise DomainError(_("Choose at least one semester."), field="semesters")
    if any(s.school_id != union.school_id for s in chosen.values()):
        raise DomainError(_("Choose semesters of this school's calendar."), field="semesters")
    return sorted(chosen.values(), key=lambda s: s.start)


def rotation_plan(union: Union, semesters) -> list[PlannedTurn]:
    """The fair schedule for ``semesters`` (without saving it)."""
    semesters = _check_semesters(union, semesters)
    posts = list(presidium_posts(union))
    first = semesters[0].start
    chosen_ids = {s.pk for s in semesters}
    earlier = (
        RotationSlot.objects.filter(union=union, semester__start__lt=first)
        .exclude(semester_id__in=chosen_ids)
        .order_by("semester__start")
        .values_list("membership_id", flat=True)
    )
    history: dict[int, int] = {}
    last_turn: dict[int, int] = {}
    earlier = list(earlier)
    for i, membership_id in enumerate(earlier):
        history[membership_id] = history.get(membership_id, 0) + 1
        last_turn[membership_id] = i - len(earlier)
    serving = [{p.pk for p in serving_on(posts, s.start)} for s in semesters]
    for semester, candidates in zip(semesters, serving, strict=True):
        if not candidates:
            raise DomainError(
                _("Nobody holds a presidium post on %(day)s, the first day of %(semester)s.")
                % {"day": semester.start.isoformat(), "semester": semester.code},
                field="semesters",
            )
    chairs = fair_schedule([p.pk for p in posts], serving, history, last_turn)
    by_pk = {p.pk: p for p in posts}
    return [
        PlannedTurn(semester=s, membership=by_pk[m]) for s, m in zip(semesters, chairs, strict=True)
    ]


# -- writes --------------------------------------------------------------------------------


def _turn_json(semester: Semester, membership: Membership | None) -> dict:
    return {
        "semester": semester.code,
        "student": membership.student.student_no if membership else None,
        "name": membership.student.name if membership else None,
    }


def rotation_generate(*, actor, union: Union, semesters) -> list[RotationSlot]:
    """Replace the slots of ``semesters`` with a fair schedule. One audit event."""
    _require_league_committee(actor, union)
    with transaction.atomic():
        lock_union(union)
        plan = rotation_plan(union, semesters)
        chosen = [t.semester for t in plan]
        existing = {
            s.semester_id: s
            for s in RotationSlot.objects.filter(union=union, semester__in=chosen).select_related(
                "membership__student"
            )
        }
        old = [
            _turn_json(t.semester, existing[t.semester.pk].membership)
            for t in plan
            if t.semester.pk in existing
        ]
        RotationSlot.objects.filter(union=union, semester__in=chosen).delete()
        slots = RotationSlot.objects.bulk_create(
            [
                RotationSlot(
                    school=union.school, union=union, semester=t.semester, membership=t.membership
                )
                for t in plan
            ]
        )
        audit_record(
            school=union.school,
            actor=actor,
            action="org.rotation.generated",
            target=union,
            old={"schedule": old} if old else None,
            new={"schedule": [_turn_json(t.semester, t.membership) for t in plan]},
        )
    return slots


def rotation_set(
    *, actor, union: Union, semester: Semester, membership: Membership
) -> RotationSlot:
    """Make ``membership`` the executive chair of ``semester``."""
    _require_league_committee(actor, union)
    if semester.school_id != union.school_id:
        raise DomainError(_("Choose a semester of this school's calendar."), field="semester")
    with transaction.atomic():
        lock_union(union)
        post = (
            presidium_posts(union)
            .filter(pk=membership.pk, start__lte=semester.start)
            .filter(Q(end__isnull=True) | Q(end__gt=semester.start))
            .first()
        )
        if post is None:
            raise DomainError(
                _("%(name)s does not hold a presidium post of %(union)s on %(day)s.")
                % {
                    "name": membership.student.name,
                    "union": union.name,
                    "day": semester.start.isoformat(),
                },
                field="membership",
            )
        slot = (
            RotationSlot.objects.select_for_update(of=("self",))
            .select_related("membership__student")
            .filter(union=union, semester=semester)
            .first()
        )
        old = _turn_json(semester, slot.membership) if slot else None
        if slot is not None and slot.membership_id == post.pk:
            return slot
        if slot is None:
            slot = RotationSlot.objects.create(
                school=union.school, union=union, semester=semester, membership=post
            )
        else:
            slot.membership = post
            slot.save(update_fields=["membership"])
        audit_record(
            school=union.school,
            actor=actor,
            action="org.rotation.set",
            target=slot,
            old=old,
            new=_turn_json(semester, post),
        )
    return slot
