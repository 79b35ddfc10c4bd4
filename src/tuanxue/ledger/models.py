"""The second-classroom credit ledger (第二课堂): append-only entries per student.

It sits just above ``org`` so that every app that earns credit (activities, volunteer shifts,
union posts, duty reviews) can write to it through ``ledger.services``; the transcript documents
are built on top of it. Entries are never changed: a correction is a new entry pointing at the old
one, and certification is a separate row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School
from tuanxue.org.models import Student


class CreditCategory(models.TextChoices):
    ACTIVITY = "activity", _("activity")
    VOLUNTEER = "volunteer", _("volunteer service")
    UNION_POST = "union_post", _("union post")
    REVIEW = "review", _("duty review")
    CORRECTION = "correction", _("correction")


class CreditUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    POINTS = "points", _("points")


class CreditEntry(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="credit_entries")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="credit_entries")
    category = models.CharField(_("category"), max_length=12, choices=CreditCategory.choices)
    amount = models.DecimalField(_("amount"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=8, choices=CreditUnit.choices)
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=40)
    source_label = models.CharField(_("source"), max_length=200)
    hand_entered = models.BooleanField(_("entered by hand"), default=False)
    note = models.TextField(_("note"), blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["student", "created_at"]
        constraints = [
            # One original entry per source; corrections reference it instead.
            models.UniqueConstraint(
                fields=["student", "source_type", "source_id"],
                condition=Q(corrects__isnull=True),
                name="one_entry_per_source",
            ),
        ]
        indexes = [models.Index(fields=["school", "created_at"])]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")

    def __str__(self) -> str:
        return f"{self.student} {self.amount} {self.unit} {self.source_label}"

    def save(self, *args, **kwargs):
        # The one guard kept in save(): the ledger is append-only.
        if self.pk is not None:
            raise ValueError("credit entries are append-only; record a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("credit entries are append-only; record a correction instead")


class CertificationBatch(models.Model):
    """The League committee certifies a batch of entries at once."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certified_at = models.DateTimeField(_("certified at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-certified_at"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"{self.certified_at:%Y-%m-%d} {self.note}"


class Certification(models.Model):
    entry = models.OneToOneField(
        CreditEntry, on_delete=models.PROTECT, related_name="certification"
    )
    batch = models.ForeignKey(
        CertificationBatch, on_delete=models.PROTECT, related_name="certifications"
    )

    class Meta:
        verbose_name = _("certified entry")
        verbose_name_plural = _("certified entries")

    def __str__(self) -> str:
        return f"{self.entry_id} @ {self.batch_id}"
