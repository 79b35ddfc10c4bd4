"""Motions: tabled by a delegate (with co-signers) or by the presidium / League committee, with
the presidium's review recommendation. Charter amendments carry the amended rules."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tuanxue.charter.rules import CharterRules
from tuanxue.congress.models import (
    CongressSession,
    Delegate,
    DelegateStatus,
    Majority,
    MajorityBase,
    Motion,
    MotionKind,
)
from tuanxue.congress.polls.voters import delegate_of, is_presidium
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import is_league_committee


def may_review(user, session: CongressSession) -> bool:
    """The presidium of the session's union, or the school League committee."""
    return is_presidium(user, session.union) or is_league_committee(user, session.school)


def motion_create(
    *,
    actor,
    session: CongressSession,
    kind: str,
    title: str,
    text: str,
    proposer: Delegate | None = None,
    majority: str = Majority.HALF,
    base: str = MajorityBase.PRESENT,
    charter_rules: dict | None = None,
    charter_label: str = "",
) -> Motion:
    if kind not in MotionKind.values:
        raise DomainError(_("Choose the kind of motion."), field="kind")
    if majority not in Majority.values:
        raise DomainError(_("Choose the majority."), field="majority")
    if base not in MajorityBase.values:
        raise DomainError(_("Choose what the majority is counted on."), field="base")
    if not title.strip():
        raise DomainError(_("Give the motion a title."), field="title")
    if not text.strip():
        raise DomainError(_("Write the text of the motion."), field="text")
    if kind == MotionKind.DELEGATE:
        own = delegate_of(actor, session)
        if own is None:
            raise DomainError(
                _("Only a confirmed delegate of this congress may table a motion."),
                code="forbidden",
            )
        if proposer is not None and proposer.pk != own.pk:
            raise DomainError(_("A delegate tables motions in their own name."), field="proposer")
        proposer = own
    else:
        if not may_review(actor, session):
            raise DomainError(
                _("Only the presidium or the League committee may table this motion."),
                code="forbidden",
            )
        proposer = None
    if kind == MotionKind.CHARTER:
        if not charter_rules:
            raise DomainError(_("A charter amendment needs the amended rules."), field="rules")
        CharterRules.from_json(charter_rules)
        if not charter_label.strip():
            raise DomainError(_("Name the new charter version."), field="charter_label")
    else:
        charter_rules, charter_label = None, ""
    with transaction.atomic():
        motion = Motion.objects.create(
            session=session,
            kind=kind,
            title=title.strip()[:160],
            text=text.strip(),
            proposer=proposer,
            majority=majority,
            base=base,
            charter_rules=charter_rules,
            charter_label=charter_label.strip()[:60],
        )
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.motion.created",
            target=motion,
            new={"kind": kind, "title": motion.title, "majority": majority, "base": base},
        )
    return motion


def motion_cosign(*, actor, motion: Motion) -> Motion:
    delegate = delegate_of(actor, motion.session)
    if delegate is None:
        raise DomainError(
            _("Only a confirmed delegate of this congress may co-sign."), code="forbidden"
        )
    if motion.kind != MotionKind.DELEGATE:
        raise DomainError(_("Only a delegate motion is co-signed."))
    if motion.proposer_id == delegate.pk:
        raise DomainError(_("The proposer does not co-sign their own motion."))
    if motion.polls.exists():
        raise DomainError(_("The motion has already been put to a vote."))
    with transaction.atomic():
        if motion.cosigners.filter(pk=delegate.pk).exists():
            raise DomainError(_("You have already co-signed this motion."), code="already")
        motion.cosigners.add(delegate)
        audit_record(
            school=motion.session.school,
            actor=actor,
            action="congress.motion.cosigned",
            target=motion,
            new={"cosigner": delegate.student.name, "cosigners": motion.cosigners.count()},
        )
    return motion


def motion_review(*, actor, motion: Motion, recommendation: str) -> Motion:
    if not may_review(actor, motion.session):
        raise DomainError(
            _("Only the presidium or the League committee reviews motions."), code="forbidden"
        )
    recommendation = (recommendation or "").strip()
    if not recommendation:
        raise DomainError(_("Write the recommendation."), field="recommendation")
    with transaction.atomic():
        old = motion.review
        motion.review = recommendation
        motion.save(update_fields=["review"])
        audit_record(
            school=motion.session.school,
            actor=actor,
            action="congress.motion.reviewed",
            target=motion,
            old={"review": old},
            new={"review": recommendation},
        )
    return motion


def may_be_put_to_vote(motion: Motion) -> bool:
    if motion.kind != MotionKind.DELEGATE:
        return True
    return motion.cosigners.count() >= motion.session.cosigners_needed


def confirmed_delegates(session: CongressSession):
    return Delegate.objects.filter(session=session, status=DelegateStatus.CONFIRMED)
