from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tuanxue.transcript.models import TranscriptSettings
from tuanxue.transcript.services import MAX_HOURS, SETTING_NAMES


class SettingsForm(forms.Form):
    def __init__(self, *args, rules: TranscriptSettings, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SETTING_NAMES:
            self.fields[name] = forms.DecimalField(
                label=TranscriptSettings._meta.get_field(name).verbose_name,
                min_value=Decimal("0"),
                max_value=MAX_HOURS,
                decimal_places=2,
                max_digits=6,
                initial=getattr(rules, name),
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LookUpForm(forms.Form):
    student_no = forms.CharField(label=_("Student number"), max_length=20)
