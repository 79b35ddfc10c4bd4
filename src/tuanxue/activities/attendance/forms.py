"""Forms of the check-in desk and the ledger pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class ScanForm(forms.Form):
    """The organiser's scanner types (or a person pastes) the student's personal code."""

    code = forms.CharField(
        label=_("Student's code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    action = forms.ChoiceField(
        choices=[("in", _("check in")), ("out", _("check out"))], initial="in"
    )


class HandForm(forms.Form):
    """Check in a student without a phone, by student number, saying why."""

    student_no = forms.CharField(label=_("Student number"), max_length=20)
    reason = forms.CharField(label=_("Why by hand"), max_length=300)


class SettleForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0"), max_digits=6, decimal_places=2
    )
    reason = forms.CharField(label=_("Why"), max_length=300)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits shown under the QR code.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Difference (negative to take away)"), max_digits=7, decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("A correction of zero changes nothing."))
        return amount
