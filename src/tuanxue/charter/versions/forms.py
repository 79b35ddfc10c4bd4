"""The form to adopt a new charter version, its fields built from the rules' own structure."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tuanxue.charter.rules import (
    ACADEMIC_PERIODS,
    LEVEL_LABELS,
    LIMIT_LABELS,
    CharterRules,
    Limits,
)
from tuanxue.org.models import PoliticalStatus

PERIOD_LABELS = {
    "last_semester": _("last semester"),
    "last_year": _("last academic year"),
    "since_enrolment": _("since enrolment"),
}
LEVELS = LEVEL_LABELS


def as_percent(share: str) -> str:
    """A stored share as the form shows it: "0.30" → "30", "0.01" → "1"."""
    value = (Decimal(share) * 100).normalize()
    return f"{value:f}"


def from_percent(value: Decimal) -> str:
    """The form's percentage as the rules store it: 30 → "0.3", 1 → "0.01"."""
    return f"{(Decimal(value) / 100).normalize():f}"


GRADE_LABELS = {"excellent": "优秀", "good": "良好", "pass": "合格"}
# The duty review's settings: optional on the form, the version in force's value when empty.
REVIEW_NUMBERS = {
    "review_min_student_affairs": _("Review panel: Student Affairs members, at least"),
    "review_min_league": _("Review panel: League committee members, at least"),
    "review_scale_max": _("Review scores: highest score"),
    "review_trim_from": _("Review: drop the highest and lowest sheet from this many sheets"),
    "sanction_ineligible_semesters": _("Semesters without a post after a sanction"),
}


class CharterForm(forms.Form):
    name = forms.CharField(label=_("Charter name"), max_length=120)
    version_label = forms.CharField(label=_("Version"), max_length=60)
    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    adopted_by = forms.CharField(label=_("Adopted by"), max_length=120, required=False)
    rotation = forms.BooleanField(
        label=_("Rotating executive chair (no chair or vice-chairs)"), required=False
    )
    political_statuses = forms.MultipleChoiceField(
        label=_("Political status allowed for staff"),
        choices=PoliticalStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    academic_period = forms.ChoiceField(
        label=_("Academic standing judged over"),
        choices=[(p, PERIOD_LABELS[p]) for p in ACADEMIC_PERIODS],
    )
    academic_top_share = forms.DecimalField(
        label=_("Top share of the major (%)"),
        min_value=1,
        max_value=100,
        decimal_places=1,
        help_text=_("For the top 30 per cent of the major, enter 30."),
    )
    academic_counts_assessment = forms.BooleanField(
        label=_("The comprehensive-assessment rank counts too"), required=False
    )
    first_year_exempt = forms.BooleanField(label=_("First-year students exempt"), required=False)
    delegate_ratio = forms.DecimalField(
        label=_("Delegates, as a percentage of each college's students"),
        min_value=Decimal("0.1"),
        max_value=100,
        decimal_places=1,
        help_text=_("1 means at least one delegate per hundred students."),
    )
    congress_interval_months = forms.IntegerField(
        label=_("Congress at least every (months)"), min_value=1, max_value=60
    )

    def __init__(self, *args, base: CharterRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        for level, level_label in LEVELS.items():
            limits = getattr(base, level)
            for f in dataclasses.fields(Limits):
                self.fields[f"{level}__{f.name}"] = forms.IntegerField(
                    label=f"{level_label}：{LIMIT_LABELS[f.name]}",
                    required=False,
                    min_value=0,
                    initial=getattr(limits, f.name),
                )
        for name, label in REVIEW_NUMBERS.items():
            self.fields[name] = forms.IntegerField(
                label=label, required=False, min_value=0, initial=getattr(base, name)
            )
        for grade, grade_label in GRADE_LABELS.items():
            self.fields[f"review_threshold_{grade}"] = forms.IntegerField(
                label=_("Review grade %(grade)s from score") % {"grade": grade_label},
                required=False,
                min_value=0,
                initial=base.review_thresholds.get(grade),
            )
            for unit, unit_label in (("hours", _("hours")), ("points", _("points"))):
                self.fields[f"review_credit_{grade}_{unit}"] = forms.DecimalField(
                    label=_("Review grade %(grade)s earns (%(unit)s)")
                    % {"grade": grade_label, "unit": unit_label},
                    required=False,
                    min_value=0,
                    decimal_places=2,
                    initial=base.review_credit.get(grade, {}).get(unit),
                )
        if not self.is_bound:
            for name in (
                "rotation",
                "academic_period",
                "academic_counts_assessment",
                "first_year_exempt",
                "congress_interval_months",
            ):
                self.fields[name].initial = getattr(base, name)
            self.fields["political_statuses"].initial = list(base.political_statuses)
            self.fields["academic_top_share"].initial = as_percent(base.academic_top_share)
            self.fields["delegate_ratio"].initial = as_percent(base.delegate_ratio)

    def rules_json(self) -> dict:
        data = self.cleaned_data
        rules = self.base.to_json()
        for level in LEVELS:
            rules[level] = {
                f.name: data.get(f"{level}__{f.name}") for f in dataclasses.fields(Limits)
            }
        for name in (
            "rotation",
            "political_statuses",
            "academic_period",
            "academic_counts_assessment",
            "first_year_exempt",
            "congress_interval_months",
        ):
            rules[name] = data[name]
        rules["academic_top_share"] = from_percent(data["academic_top_share"])
        rules["delegate_ratio"] = from_percent(data["delegate_ratio"])
        for name in REVIEW_NUMBERS:
            if data.get(name) is not None:
                rules[name] = data[name]
        thresholds = dict(rules["review_thresholds"])
        credit = {g: dict(v) for g, v in rules["review_credit"].items()}
        for grade in GRADE_LABELS:
            if data.get(f"review_threshold_{grade}") is not None:
                thresholds[grade] = data[f"review_threshold_{grade}"]
            for unit in ("hours", "points"):
                value = data.get(f"review_credit_{grade}_{unit}")
                if value is not None:
                    credit.setdefault(grade, {})[unit] = str(value)
        rules["review_thresholds"] = thresholds
        rules["review_credit"] = credit
        return rules
