"""Forms of the student voice pages. They shape input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuanxue.voice.models import Closure, Demand, DemandPhoto


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three photos; the service checks their type and size and strips metadata."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", PhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files if f]


def _category_choices(categories):
    return [
        (
            c.pk,
            _("%(name)s (answer within %(n)d working days)")
            % {"name": c.name, "n": c.deadline_days},
        )
        for c in categories
    ]


class DemandForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=Demand.TITLE_MAX)
    text = forms.CharField(
        label=_("What is the problem, and what would help?"),
        max_length=Demand.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photos = PhotosField(
        label=_("Photos (up to %(n)d, JPEG/PNG/WebP, 5 MB each)") % {"n": DemandPhoto.MAX_COUNT}
    )
    confidential = forms.BooleanField(
        label=_("Confidential: hide my name and student number from the department"),
        required=False,
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {c.pk: c for c in categories}
        self.fields["category"].choices = _category_choices(categories)

    def clean_category(self):
        return self.categories[self.cleaned_data["category"]]


class DeskForm(DemandForm):
    reception_day = forms.TypedChoiceField(label=_("Reception day"), coerce=int)
    student_no = forms.CharField(
        label=_("Student number (leave empty for an anonymous demand)"),
        max_length=20,
        required=False,
    )
    department = forms.TypedChoiceField(
        label=_("Department (empty: the category's)"), coerce=int, required=False, empty_value=None
    )
    field_order = ["reception_day", "student_no", "category", "department", "title", "text"]

    def __init__(self, *args, days, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = {d.pk: d for d in days}
        self.departments = {d.pk: d for d in departments}
        self.fields["reception_day"].choices = [
            (d.pk, f"{d.date:%Y-%m-%d} {d.place}") for d in days
        ]
        self.fields["department"].choices = [("", "—")] + [(d.pk, d.name) for d in departments]
        self.fields["confidential"].label = _(
            "Confidential: the student's identity is hidden from the department"
        )

    def clean_reception_day(self):
        return self.days[self.cleaned_data["reception_day"]]

    def clean_department(self):
        value = self.cleaned_data["department"]
        return self.departments.get(value) if value else None


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    closure = forms.ChoiceField(label=_("Outcome"), choices=Closure.choices)
    reason = forms.CharField(
        label=_("Reason (required when not feasible)"), max_length=300, required=False
    )


class ForwardForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Forward to"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]

    def clean_department(self):
        return self.departments[self.cleaned_data["department"]]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Satisfaction"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Merge into demand (reference, e.g. V00012)"), max_length=12)
    reason = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def clean_into(self):
        value = self.cleaned_data["into"].strip().upper().lstrip("V").lstrip("#")
        if not value.isdigit():
            raise forms.ValidationError(_("Give a reference such as V00012."))
        return int(value)


class AbuseDecisionForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Uphold: remove the demand")), ("0", _("Dismiss"))],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=80)
    campus = forms.CharField(label=_("Campus"), max_length=40, required=False)
    theme = forms.CharField(label=_("Theme"), max_length=80, required=False)
    members = forms.CharField(
        label=_("Union members on duty (student numbers, separated by spaces)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    teachers = forms.CharField(
        label=_("Teachers on duty (staff numbers, separated by spaces)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
