"""Forms of the volunteer pages. They only parse input; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuanxue.activities.models import SignupMode
from tuanxue.org.models import ClassGroup, College, Society

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
ROLE_ROWS = 4
MAX_SLOTS = 9999


def _datetime_field(label, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"type": "datetime-local"}),
    )


class ProjectForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    mode = forms.ChoiceField(
        label=_("Sign-up mode"), choices=SignupMode.choices, widget=forms.RadioSelect
    )
    opens_at = _datetime_field(_("Sign-up opens"))
    closes_at = _datetime_field(_("Sign-up closes"))
    withdraw_until = _datetime_field(_("Withdrawals until"))
    from_classes = forms.ModelMultipleChoiceField(
        label=_("Recruit from these classes only (none: every class)"),
        queryset=ClassGroup.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    from_societies = forms.ModelMultipleChoiceField(
        label=_("Societies recruited from (for information)"),
        queryset=Society.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, school, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_classes"].queryset = ClassGroup.objects.filter(school=school)
        self.fields["from_societies"].queryset = Society.objects.filter(school=school)
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["title"].initial = _("%(activity)s volunteers") % {"activity": activity.title}
        self.fields["mode"].initial = SignupMode.FIRST_COME
        self.fields["opens_at"].initial = now
        starts = timezone.localtime(activity.starts_at).replace(second=0, microsecond=0)
        closes = max(now + dt.timedelta(hours=1), starts - dt.timedelta(days=1))
        self.fields["closes_at"].initial = closes
        self.fields["withdraw_until"].initial = closes


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Role"), max_length=80, required=False)
    slots = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_SLOTS,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    shift_starts_at = _datetime_field(_("Shift starts"), required=False)
    shift_ends_at = _datetime_field(_("Shift ends"), required=False)
    grades = forms.CharField(
        label=_("Grades (years, comma separated; empty: any)"), max_length=60, required=False
    )
    colleges = forms.ModelMultipleChoiceField(
        label=_("Colleges (none: any)"),
        queryset=College.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def __init__(self, *args, school=None, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleges"].queryset = College.objects.filter(school=school)
        if activity is not None:
            starts = timezone.localtime(activity.starts_at).replace(second=0, microsecond=0)
            ends = timezone.localtime(activity.ends_at).replace(second=0, microsecond=0)
            self.fields["shift_starts_at"].initial = starts
            self.fields["shift_ends_at"].initial = ends

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("name") and not data.get("slots")

    def clean_grades(self) -> list[int]:
        raw = (self.cleaned_data.get("grades") or "").replace("，", ",").replace("、", ",")
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Write grades as years, such as 2023, 2024.")) from exc

    def clean(self):
        data = super().clean()
        if self.is_blank:
            return data
        for name in ("name", "slots", "shift_starts_at", "shift_ends_at"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Fill this in, or leave the whole role empty."))
        return data

    def spec(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "slots": data["slots"],
            "shift_starts_at": data["shift_starts_at"],
            "shift_ends_at": data["shift_ends_at"],
            "grades": data["grades"],
            "colleges": list(data["colleges"]),
        }


RoleFormSet = forms.formset_factory(RoleForm, extra=ROLE_ROWS, max_num=20)


class CloseForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, close the project and release its volunteers"))


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed (empty: a random one, recorded in the audit log)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
