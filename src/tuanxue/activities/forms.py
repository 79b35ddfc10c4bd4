"""Forms of the activity and proposal pages. They only parse input; the services decide."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from tuanxue.activities.models import Brand, EducationArea, FilingDecision
from tuanxue.core.parsing import is_number
from tuanxue.ledger.models import CreditUnit
from tuanxue.org.models import College

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
WHEN_CHOICES = [("", _("all dates")), ("upcoming", _("upcoming")), ("past", _("past"))]


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"type": "datetime-local"}),
    )


class ActivityForm(forms.Form):
    organiser = forms.ChoiceField(label=_("Organiser"))
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)
    area = forms.ChoiceField(label=_("Education area"), choices=EducationArea.choices)
    brands = forms.MultipleChoiceField(
        label=_("Brand"),
        choices=Brand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=120)
    capacity = forms.IntegerField(
        label=_("Capacity (people)"),
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    audience_colleges = forms.ModelMultipleChoiceField(
        label=_("Colleges (none chosen: the whole school)"),
        queryset=College.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience_grades = forms.CharField(
        label=_("Grades (e.g. 2024, 2025; empty: all)"), required=False, max_length=100
    )
    credit = forms.DecimalField(
        label=_("Credit"), min_value=0, max_digits=6, decimal_places=2, initial=0
    )
    credit_unit = forms.ChoiceField(label=_("Credit unit"), choices=CreditUnit.choices)
    external_contact = forms.CharField(
        label=_("External contact or sponsor (filled in: the activity is filed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, school, bodies=(), societies=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_colleges"].queryset = College.objects.filter(school=school)
        if editing:
            del self.fields["organiser"]
            return
        self.organisers = {}
        choices = []
        for body in bodies:
            key = f"body:{body.pk}"
            self.organisers[key] = ("body", body)
            choices.append((key, str(body)))
        for society in societies:
            key = f"society:{society.pk}"
            self.organisers[key] = ("society", society)
            choices.append((key, str(society)))
        self.fields["organiser"].choices = choices

    def clean_audience_grades(self) -> list[int]:
        text = self.cleaned_data.get("audience_grades") or ""
        parts = [p for p in re.split(r"[\s,，、;；]+", text) if p]
        if any(not is_number(p) for p in parts):
            raise forms.ValidationError(_("Grades are years such as 2024, separated by commas."))
        return [int(p) for p in parts]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["audience_colleges"] = list(data["audience_colleges"])
        if "organiser" in data:
            kind, obj = self.organisers[data.pop("organiser")]
            data["organiser_body"] = obj if kind == "body" else None
            data["organiser_society"] = obj if kind == "society" else None
        return data


def activity_initial(activity) -> dict:
    return {
        "title": activity.title,
        "description": activity.description,
        "area": activity.area,
        "brands": activity.brands,
        "starts_at": timezone.localtime(activity.starts_at),
        "ends_at": timezone.localtime(activity.ends_at),
        "place": activity.place,
        "capacity": activity.capacity,
        "audience_colleges": list(activity.audience_colleges.all()),
        "audience_grades": ", ".join(str(g) for g in activity.audience_grades),
        "credit": activity.credit,
        "credit_unit": activity.credit_unit,
        "external_contact": activity.external_contact,
    }


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    area = forms.ChoiceField(
        label=_("Education area"),
        required=False,
        choices=[("", _("all areas")), *EducationArea.choices],
    )
    brand = forms.ChoiceField(
        label=_("Brand"), required=False, choices=[("", _("all brands")), *Brand.choices]
    )
    organiser = forms.ChoiceField(label=_("Organiser"), required=False)
    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN_CHOICES)

    def __init__(self, *args, colleges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = [
            ("", _("all organisers")),
            ("school", _("school level")),
            *[(str(c.pk), c.name) for c in colleges],
        ]


class FilingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=FilingDecision.Decision.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (required when returning)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        # Words, not ★ characters: a symbol glyph depends on the viewer's fonts.
        choices=[
            (n, ngettext_lazy("%(n)s star", "%(n)s stars", n) % {"n": n}) for n in range(5, 0, -1)
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposalForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Department"), queryset=None)
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea)
    audience = forms.CharField(label=_("Audience"), max_length=200)
    budget = forms.DecimalField(
        label=_("Budget (yuan)"), min_value=0, max_digits=9, decimal_places=2, initial=0
    )
    organisers = forms.CharField(label=_("Organisers"), widget=forms.Textarea(attrs={"rows": 2}))
    support_until = _datetime_field(_("Collect support until"))

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["body"].label_from_instance = str
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["support_until"].initial = now + dt.timedelta(days=14)


class ProposalDecisionForm(forms.Form):
    adopt = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "adopt",
        choices=[("adopt", _("adopt")), ("decline", _("decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (published; required when declining)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activity = forms.ModelChoiceField(
        label=_("Activity that carries it out (optional)"), queryset=None, required=False
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
