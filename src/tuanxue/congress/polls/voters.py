"""Who may vote, who runs the polls, and who may see who voted: the one home of these rules.

The school League committee runs the polls; counters (计票人) and scrutineers (监票人) hold a
school office; a confirmed delegate of the session votes once the door has checked them in.
"Who voted" (student numbers, voted or not) is for the League committee and the poll's
scrutineers (those who sign its result) only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tuanxue.congress.models import CongressSession, Delegate, DelegateStatus, Poll, Signoff
from tuanxue.core.errors import DomainError
from tuanxue.org.access import build_viewer, is_league_committee
from tuanxue.org.models import PRESIDIUM_TITLES


def is_official(user, school) -> bool:
    """Counters (计票人) and scrutineers (监票人): users with a school office."""
    if user is None:
        return False
    return build_viewer(user).has_school_office(school)


def is_presidium(user, union) -> bool:
    if user is None:
        return False
    viewer = build_viewer(user)
    return any(p.union_id == union.pk and p.title in PRESIDIUM_TITLES for p in viewer.posts)


def delegate_of(user, session: CongressSession) -> Delegate | None:
    """The user's confirmed delegacy in ``session``, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Delegate.objects.select_related("student")
        .filter(session=session, student__user=user, status=DelegateStatus.CONFIRMED)
        .first()
    )


def entitled(session: CongressSession):
    """The delegates entitled to vote: the session's confirmed delegates."""
    return Delegate.objects.filter(session=session, status=DelegateStatus.CONFIRMED)


def voter_for(user, poll: Poll) -> Delegate:
    """The delegate ``user`` votes as in ``poll``, or a refusal saying why they may not."""
    delegate = delegate_of(user, poll.session)
    if delegate is None:
        raise DomainError(
            _("Only a confirmed delegate of this congress may vote."), code="forbidden"
        )
    if delegate.checked_in_at is None:
        raise DomainError(_("Check in at the door before you vote."), code="not_present")
    return delegate


def is_scrutineer_of(user, poll: Poll) -> bool:
    """A scrutineer of this poll: an official who signed its result."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Signoff.objects.filter(poll=poll, scrutineer=user).exists() and is_official(
        user, poll.session.school
    )


def may_see_voters(user, poll: Poll) -> bool:
    """Student numbers and whether each delegate voted: the League committee and the poll's
    scrutineers only."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return is_league_committee(user, poll.session.school) or is_scrutineer_of(user, poll)
