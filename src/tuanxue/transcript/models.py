"""The second-classroom transcript (第二课堂成绩单): the school's requirements and rules, and the
issued transcripts.

An issued transcript is an immutable snapshot: its content (JSON), the SHA-256 of that content
and a random verification code anyone can check at ``/verify/<code>/``. Issuing again after the
ledger changed supersedes the previous one; the League committee can revoke one with a reason.
Only the status columns of an issued transcript ever change.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School
from tuanxue.org.models import Student


class TranscriptSettings(models.Model):
    """One school's requirements (minimum hours per area) and the rules that turn union posts
    and congress service into hours. A school without a row uses the defaults below."""

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, related_name="transcript_settings"
    )
    min_moral = models.DecimalField(
        _("ideals and morals"), max_digits=6, decimal_places=2, default=Decimal("8")
    )
    min_innovation = models.DecimalField(
        _("innovation and entrepreneurship"), max_digits=6, decimal_places=2, default=Decimal("4")
    )
    min_culture_sports = models.DecimalField(
        _("culture and sports"), max_digits=6, decimal_places=2, default=Decimal("4")
    )
    min_aesthetics = models.DecimalField(
        _("aesthetic education"), max_digits=6, decimal_places=2, default=Decimal("4")
    )
    min_labour = models.DecimalField(
        _("labour education"), max_digits=6, decimal_places=2, default=Decimal("4")
    )
    min_volunteer = models.DecimalField(
        _("volunteer service"), max_digits=6, decimal_places=2, default=Decimal("8")
    )
    min_union_service = models.DecimalField(
        _("union service"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    min_congress_service = models.DecimalField(
        _("congress delegate service"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    union_hours_per_semester = models.DecimalField(
        _("union service hours per semester served"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("8"),
    )
    delegate_hours_per_session = models.DecimalField(
        _("hours per congress session attended as delegate"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("4"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_moral__gte=0)
                & Q(min_innovation__gte=0)
                & Q(min_culture_sports__gte=0)
                & Q(min_aesthetics__gte=0)
                & Q(min_labour__gte=0)
                & Q(min_volunteer__gte=0)
                & Q(min_union_service__gte=0)
                & Q(min_congress_service__gte=0)
                & Q(union_hours_per_semester__gte=0)
                & Q(delegate_hours_per_session__gte=0),
                name="transcript_settings_not_negative",
            ),
        ]
        verbose_name = _("transcript settings")
        verbose_name_plural = _("transcript settings")

    def __str__(self) -> str:
        return f"{self.school} transcript settings"


class TranscriptStatus(models.TextChoices):
    CURRENT = "current", _("current")
    SUPERSEDED = "superseded", _("superseded by a newer transcript")
    REVOKED = "revoked", _("revoked")


class IssuedTranscript(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="issued_transcripts"
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    content = models.JSONField()
    content_hash = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TranscriptStatus.choices,
        default=TranscriptStatus.CURRENT,
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(status="current"),
                name="one_current_transcript_per_student",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revoke_reason=""),
                name="revoked_transcript_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["school", "student", "issued_at"])]
        verbose_name = _("issued transcript")
        verbose_name_plural = _("issued transcripts")

    def __str__(self) -> str:
        return f"{self.code}"
