"""Forms of the League committee's settings page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuanxue.voice.models import DayKind, DepartmentKind


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Department name"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=DepartmentKind.choices)


class StaffForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Department"), coerce=int)
    staff_no = forms.CharField(label=_("Staff number"), max_length=20)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]

    def clean_department(self):
        return self.departments[self.cleaned_data["department"]]


class CategoryForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    deadline_days = forms.IntegerField(
        label=_("Deadline (working days)"), min_value=1, max_value=60
    )
    department = forms.TypedChoiceField(
        label=_("Default department"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, categories, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {c.pk: c for c in categories}
        self.departments = {d.pk: d for d in departments}
        self.fields["category"].choices = [(c.pk, c.name) for c in categories]
        self.fields["department"].choices = [("", "—")] + [(d.pk, d.name) for d in departments]

    def clean_category(self):
        return self.categories[self.cleaned_data["category"]]

    def clean_department(self):
        value = self.cleaned_data["department"]
        return self.departments.get(value) if value else None


class NewCategoryForm(forms.Form):
    code = forms.SlugField(label=_("Code (letters, e.g. safety)"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=30)
    deadline_days = forms.IntegerField(
        label=_("Deadline (working days)"), min_value=1, max_value=60
    )


class CalendarForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Name (e.g. 国庆节)"), max_length=40, required=False)


class OfficerForm(forms.Form):
    username = forms.CharField(label=_("Username of a League committee member"), max_length=150)
