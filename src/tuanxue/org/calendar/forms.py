"""Forms of the calendar pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AcademicYearForm(forms.Form):
    code = forms.CharField(
        label=_("Academic year"), max_length=9, help_text=_("In the form 2020-2021.")
    )
    start = _date_field(_("Start"))
    end = _date_field(_("End"))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class SemesterForm(forms.Form):
    number = forms.TypedChoiceField(
        label=_("Semester"),
        coerce=int,
        choices=[(1, _("first semester")), (2, _("second semester"))],
    )
    start = _date_field(_("Start"))
    end = _date_field(_("End"))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["number"]
