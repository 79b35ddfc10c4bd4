from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubmitForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Date assessed"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The report is generated from the records on this day and frozen as it is."),
    )
    confirm = forms.BooleanField(
        label=_("I have read the report; submit it to the provincial federation"),
        error_messages={"required": _("Tick the box to confirm the submission.")},
    )

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date assessed cannot be in the future."))
        return day


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Review"),
        choices=[("accept", _("Accept")), ("return", _("Return with reasons"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the submission is returned; the school reads them."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the submission is returned."))
        return data
