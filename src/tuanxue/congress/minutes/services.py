"""The minutes of a congress session: generated from its rows (date, venue, attendance and quorum,
each agenda item's outcome, the elected presidium), plus the narrative the secretariat writes.

``minutes(session)`` gathers everything as plain lines, so the page, the PDF and the Word file
show the same figures. ``minutes_narrative_save`` is the one write."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tuanxue.congress.models import CongressSession, Majority, MajorityBase
from tuanxue.congress.sessions.agenda import (
    AgendaItem,
    Attendance,
    agenda,
    attendance,
    elected_presidium,
)
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Student

NARRATIVE_MAX = 20_000


@dataclass
class MinutesItem:
    number: int
    title: str
    kind_label: str
    outcome: str
    outcome_label: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Minutes:
    session: CongressSession
    title: str
    facts: list[tuple[str, str]]
    attendance: Attendance
    items: list[MinutesItem]
    presidium: list[Student]
    narrative: str

    @property
    def presidium_names(self) -> str:
        return "、".join(s.name for s in self.presidium)


def _motion_lines(item: AgendaItem) -> list[str]:
    tally = item.motion_tally
    if tally is None:
        return [_("Not voted on yet.")]
    motion = item.motion
    rule = f"{Majority(motion.majority).label} {MajorityBase(motion.base).label}"
    return [
        _("Yes %(yes)s, no %(no)s, abstain %(abstain)s, invalid %(invalid)s.")
        % {"yes": tally.yes, "no": tally.no, "abstain": tally.abstain, "invalid": tally.invalid},
        _("Needed: %(needed)s yes votes (%(rule)s, base %(base)s).")
        % {"needed": tally.needed, "rule": rule, "base": tally.base},
    ]


def _election_lines(item: AgendaItem) -> list[str]:
    tally = item.election
    if tally is None:
        return [_("Not voted on yet.")]
    lines = [
        _(
            "Seats %(seats)s; ballots issued %(issued)s, returned %(returned)s, "
            "valid %(valid)s, invalid %(invalid)s."
        )
        % {
            "seats": tally.poll.seats,
            "issued": tally.poll.issued,
            "returned": tally.returned,
            "valid": tally.valid,
            "invalid": tally.invalid,
        }
    ]
    lines += [
        _("%(name)s: %(votes)s votes%(mark)s")
        % {
            "name": c.student.name,
            "votes": c.votes,
            "mark": f" ({_('elected')})" if c.elected else "",
        }
        for c in tally.candidates
    ]
    if tally.void:
        lines.append(_("The election is void: more ballots returned than issued."))
    elif tally.runoff_seats:
        lines.append(_("Seats left to a runoff: %(n)s.") % {"n": tally.runoff_seats})
    return lines


def minutes(session: CongressSession) -> Minutes:
    seen = attendance(session)
    items = []
    for item in agenda(session):
        lines = _election_lines(item) if item.kind == "election" else _motion_lines(item)
        items.append(
            MinutesItem(
                number=item.number,
                title=item.title,
                kind_label=item.kind_label,
                outcome=item.outcome,
                outcome_label=item.outcome_label,
                lines=lines,
            )
        )
    quorum = _("%(needed)s needed (%(share)s of the entitled) — %(state)s") % {
        "needed": seen.quorum_needed,
        "share": f"{float(seen.quorum_share):.1%}",
        "state": _("reached") if seen.quorum_reached else _("not reached"),
    }
    facts = [
        (_("Date"), session.held_on.isoformat()),
        (_("Venue"), session.venue),
        (_("Union"), session.union.name),
        (_("Delegates entitled"), str(seen.entitled)),
        (_("Delegates present"), str(seen.present)),
        (_("Quorum"), quorum),
    ]
    return Minutes(
        session=session,
        title=_("Minutes of the %(name)s") % {"name": session.name},
        facts=facts,
        attendance=seen,
        items=items,
        presidium=elected_presidium(session),
        narrative=session.minutes_narrative,
    )


def may_edit_minutes(user, session: CongressSession) -> bool:
    viewer = build_viewer(user)
    return viewer.is_league_committee(session.school) or (viewer.can_manage_union(session.union))


def minutes_narrative_save(*, actor, session: CongressSession, text: str) -> CongressSession:
    if not may_edit_minutes(actor, session):
        raise DomainError(_("You may not edit these minutes."), code="forbidden")
    text = (text or "").strip()
    if len(text) > NARRATIVE_MAX:
        raise DomainError(
            _("The narrative is too long (at most %(n)s characters).") % {"n": NARRATIVE_MAX},
            field="narrative",
        )
    with transaction.atomic():
        locked = CongressSession.objects.select_for_update().get(pk=session.pk)
        old = locked.minutes_narrative
        if old == text:
            return locked
        locked.minutes_narrative = text
        locked.save(update_fields=["minutes_narrative"])
        audit_record(
            school=locked.school,
            actor=actor,
            action="congress.minutes.edited",
            target=locked,
            old={"narrative": old},
            new={"narrative": text},
        )
    return locked
