"""What a school submits to the provincial federation, and the federation's look at every school.

A ``Submission`` is a frozen copy of the self-assessment on the day it was made: the report as
JSON, the Word and PDF documents as bytes with their SHA-256 hashes. Nothing later changes it;
only the federation's review (复评) fills in its outcome, once.

A ``Standing`` is a school's result of the latest province-wide assessment (``tuanxue assess
--all``, or the federation's "check every school now"): one row per school, replaced each run,
read by the federation page so that it does not evaluate every school on every request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for the federation's review")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class Submission(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="submissions")
    assessed_on = models.DateField(_("date assessed"))
    passed = models.BooleanField(_("passed"))
    report = models.JSONField(_("assessment"))
    docx = models.BinaryField(_("Word report"))
    pdf = models.BinaryField(_("PDF report"))
    docx_sha256 = models.CharField(_("SHA-256 of the Word report"), max_length=64)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF report"), max_length=64)
    docx_name = models.CharField(max_length=200)
    pdf_name = models.CharField(max_length=200)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by_label = models.CharField(_("submitted by"), max_length=150)
    submitted_at = models.DateTimeField(_("submitted at"))
    state = models.CharField(
        _("review"), max_length=12, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    review_reason = models.TextField(_("reasons"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by_label = models.CharField(max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-submitted_at"]
        indexes = [models.Index(fields=["school", "-submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(review_reason=""),
                name="returned_submission_has_reasons",
            ),
            models.CheckConstraint(
                condition=Q(state="submitted") | Q(reviewed_at__isnull=False),
                name="reviewed_submission_has_time",
            ),
        ]
        verbose_name = _("self-assessment submission")
        verbose_name_plural = _("self-assessment submissions")

    def __str__(self) -> str:
        return f"{self.school.name} {self.assessed_on:%Y-%m-%d}"


class Standing(models.Model):
    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="standing")
    assessed_on = models.DateField(_("date assessed"))
    checked_at = models.DateTimeField(_("checked at"))
    passed = models.BooleanField(_("passed"))
    failing = models.JSONField(_("core items not passed"), default=list)
    breaches = models.JSONField(_("breaches"), default=list)

    class Meta:
        verbose_name = _("school standing")
        verbose_name_plural = _("school standings")

    def __str__(self) -> str:
        return f"{self.school.code} {self.assessed_on:%Y-%m-%d} {self.passed}"
