"""The self-assessment's narrative form: its date, one text per section, and publication."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuanxue.charter.documents.outline import SECTIONS

NARRATIVE_MAX = 20000


def field_name(key: str) -> str:
    return f"narrative_{key}"


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Assessment date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Every figure in the report is taken from the records on this day."),
    )
    published = forms.BooleanField(
        label=_("Publish the self-assessment table"),
        required=False,
        help_text=_(
            "Anyone with the link may then see the table of checklist items and their results. "
            "It shows no names and no personal data."
        ),
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for key, heading, label, _checks in SECTIONS:
            self.fields[field_name(key)] = forms.CharField(
                label=label,
                required=False,
                max_length=NARRATIVE_MAX,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=heading,
            )

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day.year != self.year:
            raise forms.ValidationError(
                _("The assessment date must fall in %(year)s, the year of this self-assessment.")
                % {"year": self.year}
            )
        return day

    def narrative(self) -> dict[str, str]:
        return {key: self.cleaned_data[field_name(key)].strip() for key, *_rest in SECTIONS}

    def sections(self):
        """(key, bound field) for each section, in the document's order."""
        return [(key, self[field_name(key)]) for key, *_rest in SECTIONS]
