"""Filing (报备) of important matters, major activities, important information and external
contacts with the school League committee.

A union's presidium files (``filing_submit``), re-files a returned filing (``filing_resubmit``);
the League committee decides (``filing_decide``): accept, or return with a reason. The decision
and its effects — the filing's status, the decision row, the audit event and the notice to the
filer — are applied in one place, ``_apply_decision``, under a conditional UPDATE so two
deciders cannot both decide. The same rules as the activity filing: only the League committee
decides, a return needs a reason, a filing that is not waiting cannot be decided.

Major activities and external contacts kept as activities are filed by the activities module
when they are submitted (``activities.services.activity_submit``); the register lists them with
these filings, and deciding them from the register goes through ``activity_decide``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.core.notify import notify
from tuanxue.org.access import build_viewer
from tuanxue.org.models import PRESIDIUM_TITLES, Role, RoleGrant, Union
from tuanxue.oversight.models import (
    Filing,
    FilingDecisionKind,
    FilingKind,
    FilingReview,
    FilingStatus,
)
from tuanxue.oversight.services import forbidden

TITLE_MAX = 160
CONTENT_MAX = 8000


def may_file(actor, union: Union) -> bool:
    """A presidium member of ``union`` files for it (the operator, actor=None, too)."""
    if actor is None:
        return True
    viewer = build_viewer(actor)
    return any(p.union_id == union.pk and p.title in PRESIDIUM_TITLES for p in viewer.posts)


def may_decide(actor, school: School) -> bool:
    return actor is None or build_viewer(actor).is_league_committee(school)


def filing_url(filing: Filing) -> str:
    return reverse("oversight:filing", args=[filing.school.code, filing.pk])


def _league_users(school: School) -> list:
    return [
        g.user
        for g in RoleGrant.objects.filter(
            school=school, role=Role.SCHOOL_LEAGUE, revoked_at__isnull=True
        ).select_related("user")
    ]


def _values(*, kind, title, content, occurs_on, counterpart) -> dict:
    if kind not in FilingKind.values:
        raise DomainError(_("Choose what kind of matter is filed."), field="kind")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the filing a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("The title is longer than %(n)s characters.") % {"n": TITLE_MAX}, field="title"
        )
    content = (content or "").strip()
    if not content:
        raise DomainError(
            _("Describe the matter: what, who, when and why it is filed."), field="content"
        )
    if len(content) > CONTENT_MAX:
        raise DomainError(
            _("The description is longer than %(n)s characters.") % {"n": CONTENT_MAX},
            field="content",
        )
    counterpart = (counterpart or "").strip()[:160]
    if kind == FilingKind.EXTERNAL and not counterpart:
        raise DomainError(
            _("Name the organisation or person outside the school."), field="counterpart"
        )
    if not isinstance(occurs_on, dt.date):
        raise DomainError(_("Give the date of the matter."), field="occurs_on")
    return {
        "kind": kind,
        "title": title,
        "content": content,
        "occurs_on": occurs_on,
        "counterpart": counterpart,
    }


def filing_submit(
    *, actor, union: Union, kind: str, title: str, content: str, occurs_on, counterpart=""
) -> Filing:
    """A union files a matter with the League committee."""
    if not may_file(actor, union):
        raise forbidden(_("Only the union's presidium files matters for it."))
    values = _values(
        kind=kind, title=title, content=content, occurs_on=occurs_on, counterpart=counterpart
    )
    school = union.school
    with transaction.atomic():
        filing = Filing.objects.create(
            school=school,
            union=union,
            status=FilingStatus.FILED,
            filed_by=actor,
            filed_at=timezone.now(),
            **values,
        )
        audit_record(
            school=school,
            actor=actor,
            action="oversight.filing.filed",
            target=filing,
            new={**values, "union": union.name, "status": FilingStatus.FILED},
        )
        notify(
            users=_league_users(school),
            school=school,
            text=_("%(union)s filed “%(title)s” and waits for your decision.")
            % {"union": union.name, "title": filing.title},
            url=filing_url(filing),
        )
    return filing


def filing_resubmit(
    *, actor, filing: Filing, kind: str, title: str, content: str, occurs_on, counterpart=""
) -> Filing:
    """A returned filing, changed as the League committee asked, is filed again."""
    if not may_file(actor, filing.union):
        raise forbidden(_("Only the union's presidium files matters for it."))
    values = _values(
        kind=kind, title=title, content=content, occurs_on=occurs_on, counterpart=counterpart
    )
    with transaction.atomic():
        locked = Filing.objects.select_for_update(of=("self",)).get(pk=filing.pk)
        if locked.status != FilingStatus.RETURNED:
            raise DomainError(_("Only a returned filing can be filed again."), code="state")
        old = {k: getattr(locked, k) for k in values} | {"status": locked.status}
        for k, v in values.items():
            setattr(locked, k, v)
        locked.status = FilingStatus.FILED
        locked.filed_at = timezone.now()
        locked.save()
        audit_record(
            school=locked.school,
            actor=actor,
            action="oversight.filing.refiled",
            target=locked,
            old=old,
            new={**values, "status": FilingStatus.FILED},
        )
        notify(
            users=_league_users(locked.school),
            school=locked.school,
            text=_("%(union)s filed “%(title)s” again after changes.")
            % {"union": locked.union.name, "title": locked.title},
            url=filing_url(locked),
        )
    return locked


def _apply_decision(*, actor, filing: Filing, decision: str, reason: str) -> FilingReview:
    """The one place a decision takes effect: status (only from "filed"), the decision row, the
    audit event and the notice to whoever filed it, in one transaction."""
    new_status = (
        FilingStatus.ACCEPTED if decision == FilingDecisionKind.ACCEPT else FilingStatus.RETURNED
    )
    now = timezone.now()
    with transaction.atomic():
        changed = Filing.objects.filter(pk=filing.pk, status=FilingStatus.FILED).update(
            status=new_status
        )
        if changed != 1:
            raise DomainError(
                _("This filing is not waiting for a decision (someone may have decided already)."),
                code="state",
            )
        review = FilingReview.objects.create(
            filing=filing, decision=decision, reason=reason, actor=actor, at=now
        )
        audit_record(
            school=filing.school,
            actor=actor,
            action=(
                "oversight.filing.accepted"
                if decision == FilingDecisionKind.ACCEPT
                else "oversight.filing.returned"
            ),
            target=filing,
            old={"status": FilingStatus.FILED},
            new={"status": new_status, "reason": reason},
        )
        text = (
            _("The League committee accepted the filing “%(title)s”.")
            if decision == FilingDecisionKind.ACCEPT
            else _("The League committee returned the filing “%(title)s”: %(reason)s")
        ) % {"title": filing.title, "reason": reason}
        notify(
            users=[filing.filed_by] if filing.filed_by else [],
            school=filing.school,
            text=text,
            url=filing_url(filing),
        )
    filing.status = new_status
    return review


def check_decision(decision: str, reason: str) -> str:
    """The rules every filing decision follows (the activity filing's too)."""
    if decision not in FilingDecisionKind.values:
        raise DomainError(_("Choose accept or return."), field="decision")
    reason = (reason or "").strip()
    if decision == FilingDecisionKind.RETURN and not reason:
        raise DomainError(_("Give the reason when you return a filing."), field="reason")
    return reason


def filing_decide(*, actor, filing: Filing, decision: str, reason: str = "") -> FilingReview:
    """The school League committee accepts a filing or returns it with a reason."""
    if not may_decide(actor, filing.school):
        raise forbidden(_("Only the school League committee decides on filings."))
    reason = check_decision(decision, reason)
    return _apply_decision(actor=actor, filing=filing, decision=decision, reason=reason)


def activity_filing_decide(*, actor, activity, decision: str, reason: str = ""):
    """A filed activity (a major activity or an external contact kept in the activities module)
    decided from the register: the same rules, and the activities module's own decision, which
    publishes or returns the activity."""
    from tuanxue.activities.models import FilingDecision
    from tuanxue.activities.services import activity_decide

    if not may_decide(actor, activity.school):
        raise forbidden(_("Only the school League committee decides on filings."))
    reason = check_decision(decision, reason)
    return activity_decide(
        actor=actor,
        activity=activity,
        decision=(
            FilingDecision.Decision.APPROVE
            if decision == FilingDecisionKind.ACCEPT
            else FilingDecision.Decision.RETURN
        ),
        comment=reason,
    )
