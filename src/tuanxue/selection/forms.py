"""Forms of the recruitment pages. They only parse input; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuanxue.org.models import Department, Title
from tuanxue.selection.models import Decision, Seat

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# The titles a round may offer in each kind of body.
PRESIDIUM_SEAT_TITLES = [Title.PRESIDIUM_MEMBER]
DEPARTMENT_SEAT_TITLES = [Title.MINISTER, Title.VICE_MINISTER, Title.STAFF]
MAX_PLACES = 99


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"type": "datetime-local"}),
    )


def seat_titles(body: Department) -> list[str]:
    return PRESIDIUM_SEAT_TITLES if body.is_presidium else DEPARTMENT_SEAT_TITLES


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=120)
    term_start = forms.DateField(
        label=_("Term starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    opens_at = _datetime_field(_("Applications open"))
    closes_at = _datetime_field(_("Applications close"))

    def __init__(self, *args, bodies: list[Department], **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + dt.timedelta(days=14)
        self.bodies = bodies
        self.seat_keys: list[tuple[Department, str, str]] = []
        for body in bodies:
            for title in seat_titles(body):
                key = f"seat_{body.pk}_{title}"
                self.fields[key] = forms.IntegerField(
                    label=f"{body.name} · {Title(title).label}",
                    min_value=0,
                    max_value=MAX_PLACES,
                    initial=0,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                )
                self.seat_keys.append((body, title, key))

    def seat_groups(self) -> list[dict]:
        """The seat inputs grouped by body, for the template."""
        groups: dict[int, dict] = {}
        for body, title, key in self.seat_keys:
            group = groups.setdefault(body.pk, {"body": body, "fields": []})
            group["fields"].append((Title(title).label, self[key]))
        return list(groups.values())

    def seat_errors(self) -> list[str]:
        errors = []
        for _body, _title, key in self.seat_keys:
            errors.extend(self.errors.get(key, []))
        return errors

    def seats(self) -> list[tuple[Department, str, int]]:
        data = self.cleaned_data
        return [
            (body, title, data[key]) for body, title, key in self.seat_keys if data.get(key) or 0
        ]


class ExtendForm(forms.Form):
    closes_at = _datetime_field(_("New closing time"))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


def seat_label(seat: Seat) -> str:
    return _("%(body)s · %(title)s (%(n)s places)") % {
        "body": seat.body.name,
        "title": seat.get_title_display(),
        "n": seat.count,
    }


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return seat_label(obj)


class ApplyForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        help_text=_("Why you apply and what you would do (at least 10 characters)."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    seat = SeatChoiceField(
        label=_("Seat you apply for"),
        queryset=Seat.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    second_seat = SeatChoiceField(
        label=_("Second choice (optional)"),
        queryset=Seat.objects.none(),
        required=False,
        empty_label=_("No second choice"),
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = seats
        self.fields["second_seat"].queryset = seats


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        help_text=_("Needed when you return or reject, so the applicant knows why."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    step = forms.IntegerField(widget=forms.HiddenInput)
    cycle = forms.IntegerField(widget=forms.HiddenInput)


class ResubmitForm(forms.Form):
    statement = forms.CharField(
        label=_("New statement"),
        help_text=_("Answer what you were asked to change."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


class ElectionForm(forms.Form):
    elected = forms.TypedChoiceField(
        label=_("Result of the congress election"),
        choices=[("yes", _("elected")), ("no", _("not elected"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
