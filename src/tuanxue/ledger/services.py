"""Writing to the credit ledger. Every write is a new row, audited in the same transaction."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.ledger.models import (
    Certification,
    CertificationBatch,
    CreditCategory,
    CreditEntry,
    CreditUnit,
)
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Student


def credit_record(
    *,
    actor,
    student: Student,
    category: str,
    amount: Decimal,
    unit: str,
    source_type: str,
    source_id: str,
    source_label: str,
    hand_entered: bool = False,
    note: str = "",
) -> CreditEntry:
    """Record credit earned from one source (idempotent per source: a second call for the same
    source returns the first entry)."""
    if category not in CreditCategory.values or category == CreditCategory.CORRECTION:
        raise DomainError(_("Unknown credit category."), field="category")
    if unit not in CreditUnit.values:
        raise DomainError(_("Unknown credit unit."), field="unit")
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount < 0:
        raise DomainError(_("Credit cannot be negative; record a correction."), field="amount")
    if hand_entered and not note.strip():
        raise DomainError(_("Say why the credit is entered by hand."), field="note")
    with transaction.atomic():
        existing = CreditEntry.objects.filter(
            student=student,
            source_type=source_type,
            source_id=str(source_id),
            corrects__isnull=True,
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                entry = CreditEntry.objects.create(
                    school=student.school,
                    student=student,
                    category=category,
                    amount=amount,
                    unit=unit,
                    source_type=source_type,
                    source_id=str(source_id),
                    source_label=source_label[:200],
                    hand_entered=hand_entered,
                    note=note,
                    created_by=actor if actor is not None and actor.pk else None,
                )
        except IntegrityError:
            return CreditEntry.objects.get(
                student=student,
                source_type=source_type,
                source_id=str(source_id),
                corrects__isnull=True,
            )
        audit_record(
            school=student.school,
            actor=actor,
            action="ledger.entry.recorded",
            target=entry,
            new={
                "student": student.student_no,
                "category": category,
                "amount": amount,
                "unit": unit,
                "source": f"{source_type}:{source_id}",
                "hand_entered": hand_entered,
                "note": note,
            },
        )
    return entry


def credit_correct(*, actor, entry: CreditEntry, amount: Decimal, note: str) -> CreditEntry:
    """Correct an entry by a new one that states the difference and why."""
    viewer = build_viewer(actor)
    if not viewer.is_league_committee(entry.school):
        raise DomainError(
            _("Only the school League committee corrects the ledger."), code="forbidden"
        )
    if not note.strip():
        raise DomainError(_("Say why the entry is corrected."), field="note")
    amount = Decimal(amount).quantize(Decimal("0.01"))
    with transaction.atomic():
        correction = CreditEntry.objects.create(
            school=entry.school,
            student=entry.student,
            category=CreditCategory.CORRECTION,
            amount=amount,
            unit=entry.unit,
            source_type=entry.source_type,
            source_id=entry.source_id,
            source_label=entry.source_label,
            hand_entered=True,
            note=note,
            corrects=entry,
            created_by=actor,
        )
        audit_record(
            school=entry.school,
            actor=actor,
            action="ledger.entry.corrected",
            target=correction,
            new={"corrects": entry.pk, "amount": amount, "note": note},
        )
    return correction


def certify_batch(
    *, actor, school, entries: list[CreditEntry], note: str = ""
) -> CertificationBatch:
    """The League committee certifies the given entries (those already certified are skipped)."""
    viewer = build_viewer(actor)
    if not viewer.is_league_committee(school):
        raise DomainError(_("Only the school League committee certifies credit."), code="forbidden")
    with transaction.atomic():
        batch = CertificationBatch.objects.create(
            school=school, certified_by=actor, certified_at=timezone.now(), note=note[:200]
        )
        ids = [e.pk for e in entries if e.school_id == school.pk]
        done = set(
            Certification.objects.filter(entry_id__in=ids).values_list("entry_id", flat=True)
        )
        Certification.objects.bulk_create(
            [Certification(entry_id=i, batch=batch) for i in ids if i not in done]
        )
        audit_record(
            school=school,
            actor=actor,
            action="ledger.batch.certified",
            target=batch,
            new={"entries": len(ids) - len(done), "note": note},
        )
    return batch
