"""After the vote: the elected presidium takes office, and the charter's congress record follows
the session, so the self-assessment reads the real congress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tuanxue.charter import services as charter_services
from tuanxue.charter.models import CongressRecord
from tuanxue.congress.models import CongressSession, Poll, PollKind, PollStatus
from tuanxue.congress.sessions.agenda import attendance, elected_presidium, election_tally
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org import services as org_services
from tuanxue.org.access import require_league_committee
from tuanxue.org.models import BodyKind, Membership, Student, Title
from tuanxue.selection import services as selection_services
from tuanxue.selection.models import Application, ApplicationStatus

CREATED, APPOINTED, ALREADY = "created", "appointed", "already"


@dataclass(frozen=True)
class Installed:
    student: Student
    how: str  # CREATED (membership from the congress), APPOINTED (selection chain), ALREADY
    membership: Membership | None


def congress_source(session: CongressSession) -> str:
    return f"congress:{session.pk}"


def _candidate_application(union, student: Student) -> Application | None:
    return (
        Application.objects.filter(
            round__union=union,
            student=student,
            status=ApplicationStatus.CANDIDATE,
            seat__body__kind=BodyKind.PRESIDIUM,
        )
        .order_by("-pk")
        .first()
    )


def presidium_install(*, actor, poll: Poll) -> list[Installed]:
    """Each winner of a closed election becomes a presidium member of the session's union.

    A winner who is a candidate of the selection chain is appointed through it (their application
    records the election and links the post); any other winner's post is created here with the
    congress as its source. A winner already in the presidium is left as they are, so running this
    twice changes nothing. Candidates not elected have their applications closed as not elected.
    """
    session = poll.session
    require_league_committee(actor, session.school)
    tally = election_tally(poll)
    if poll.kind != PollKind.ELECTION or tally is None:
        raise DomainError(_("Only a closed election installs a presidium."), code="closed")
    if tally.void:
        raise DomainError(_("The election is void: more ballots returned than issued."))
    union = session.union
    presidium = union.bodies.get(kind=BodyKind.PRESIDIUM)
    out: list[Installed] = []
    with transaction.atomic():
        for row in tally.candidates:
            student = row.student
            application = _candidate_application(union, student)
            if not row.elected:
                if application is not None:
                    selection_services.election_record(
                        actor=actor, application=application, elected=False
                    )
                continue
            current = Membership.objects.filter(
                union=union, body=presidium, student=student, end__isnull=True
            ).first()
            if current is not None:
                out.append(Installed(student, ALREADY, current))
                continue
            if application is not None:
                application = selection_services.election_record(
                    actor=actor, application=application, elected=True
                )
                out.append(Installed(student, APPOINTED, application.membership))
                continue
            membership = org_services.membership_create(
                actor=actor,
                body=presidium,
                student=student,
                title=Title.PRESIDIUM_MEMBER,
                start=session.held_on,
                source=congress_source(session),
            )
            out.append(Installed(student, CREATED, membership))
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.presidium.installed",
            target=poll,
            new={"installed": [[i.student.student_no, i.how] for i in out]},
        )
    return out


def congress_record_sync(session: CongressSession, *, actor=None) -> CongressRecord | None:
    """Write (or bring up to date) the charter's record of this congress: its day, its confirmed
    delegates and whether it elected the presidium. Nothing while no delegate is confirmed."""
    require_league_committee(actor, session.school)
    delegates = attendance(session).entitled
    if delegates < 1:
        return None
    elected = bool(elected_presidium(session))
    closed = Poll.objects.filter(session=session, status=PollStatus.CLOSED).exists()
    notes = _("Recorded from the congress module (session %(id)s).") % {"id": session.pk}
    with transaction.atomic():
        record = (
            CongressRecord.objects.select_for_update()
            .filter(school=session.school, union=session.union, name=session.name)
            .first()
        )
        if record is None:
            return charter_services.congress_record_add(
                actor=actor,
                school=session.school,
                union=session.union,
                name=session.name,
                held_on=session.held_on,
                delegates=delegates,
                elected_presidium=elected,
                notes=notes,
            )
        old = {
            "held_on": record.held_on,
            "delegates": record.delegates,
            "elected_presidium": record.elected_presidium,
        }
        new = {"held_on": session.held_on, "delegates": delegates, "elected_presidium": elected}
        if old == new:
            return record
        record.held_on = session.held_on
        record.delegates = delegates
        record.elected_presidium = elected
        record.notes = notes
        record.save()
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.record.synced",
            target=record,
            old=old,
            new={**new, "polls_closed": closed},
        )
    return record
