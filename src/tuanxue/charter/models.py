"""Charter versions, the acceptance checklist, and the self-assessment's hand-written parts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School
from tuanxue.org.models import StaffPerson, Union


class Charter(models.Model):
    """One version of a school's union charter (章程). The version in force on a day is the one
    with the latest ``effective_from`` not after that day."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="charters")
    name = models.CharField(_("name"), max_length=120)
    version_label = models.CharField(_("version"), max_length=60)
    effective_from = models.DateField(_("in force from"))
    adopted_by = models.CharField(_("adopted by"), max_length=120, blank=True)
    rules = models.JSONField(_("rules"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["school", "effective_from"], name="charter_day_unique"),
            models.UniqueConstraint(
                fields=["school", "version_label"], name="charter_label_unique"
            ),
        ]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")

    def __str__(self) -> str:
        return f"{self.name}（{self.version_label}）"

    @property
    def parsed(self):
        from tuanxue.charter.rules import CharterRules

        return CharterRules.from_json(self.rules)


class ChecklistVersion(models.Model):
    """A version of the national acceptance checklist (评估验收标准)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    effective_from = models.DateField(_("in force from"))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    core = models.BooleanField(_("core item"), default=True)
    check_key = models.CharField(_("check"), max_length=40, help_text="key of the bound check")

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="checklist_item_unique"),
        ]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CongressRecord(models.Model):
    """A congress held before its results were kept in Tuanxue, recorded by hand."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="congress_records")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="congress_records")
    name = models.CharField(_("name"), max_length=80, help_text="第十四次学生代表大会")
    held_on = models.DateField(_("held on"))
    delegates = models.PositiveIntegerField(_("delegates"))
    elected_presidium = models.BooleanField(_("elected the presidium"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["school", "-held_on"]
        verbose_name = _("congress record")
        verbose_name_plural = _("congress records")

    def __str__(self) -> str:
        return f"{self.name}（{self.held_on:%Y-%m-%d}）"


def attestation_upload_to(instance, filename: str) -> str:
    """Stored under a random name (the original name is kept in ``file_name``)."""
    import pathlib
    import uuid

    suffix = pathlib.Path(filename).suffix.lower()[:8]
    return f"attestations/{instance.school_id}/{uuid.uuid4().hex}{suffix}"


class Attestation(models.Model):
    """Documentary evidence for a checklist item whose facts live outside Tuanxue (a Party
    committee meeting, an appointment letter), recorded by the League committee."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="attestations")
    item_code = models.CharField(_("checklist item"), max_length=20)
    title = models.CharField(_("document"), max_length=200)
    dated = models.DateField(_("dated"))
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file"), upload_to=attestation_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "item_code", "dated"]
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")

    def __str__(self) -> str:
        return f"{self.item_code} {self.title}"


class Guidance(models.Model):
    """The League committee's guidance of a union: its advisor and secretary-general teachers."""

    union = models.OneToOneField(Union, on_delete=models.CASCADE, related_name="guidance")
    advisor = models.ForeignKey(
        StaffPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    secretary_general = models.ForeignKey(
        StaffPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("League guidance")
        verbose_name_plural = _("League guidance")

    def __str__(self) -> str:
        return str(self.union)


class Assessment(models.Model):
    """A year's self-assessment: its date and the narrative a teacher wrote for each section.
    Every figure comes from data when the report is generated."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    assessed_on = models.DateField(_("assessed on"))
    narrative = models.JSONField(_("narrative"), default=dict, blank=True)
    published = models.BooleanField(_("table published"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="assessment_year_unique"),
        ]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"{self.school} {self.year}"
