"""Forms of the records pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuanxue.charter.records.checks import DELEGATES_MAX, NAME_MAX, TITLE_MAX, attested_items
from tuanxue.org.models import StaffPerson, Union


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


class CongressRecordForm(forms.Form):
    union = forms.ModelChoiceField(label=_("Union"), queryset=Union.objects.none())
    name = forms.CharField(
        label=_("Congress"),
        max_length=NAME_MAX,
        help_text=_("As the minutes name it, e.g. 第十四次学生代表大会."),
    )
    held_on = _date_field(_("Held on"))
    delegates = forms.IntegerField(
        label=_("Delegates who attended"), min_value=1, max_value=DELEGATES_MAX
    )
    elected_presidium = forms.BooleanField(
        label=_("The congress itself elected the presidium"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = Union.objects.filter(school=school).order_by(
            "college__order", "college__name"
        )
        self.fields["union"].label_from_instance = lambda u: u.name

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("%(day)s is in the future; record only a congress that has been held."),
                params={"day": day.isoformat()},
            )
        return day


class AttestationForm(forms.Form):
    item_code = forms.ChoiceField(label=_("Checklist item it supports"))
    title = forms.CharField(
        label=_("Document"),
        max_length=TITLE_MAX,
        help_text=_("Its title, e.g. 校党委会专题听取学生会工作汇报会议纪要."),
    )
    dated = _date_field(_("Dated"))
    summary = forms.CharField(
        label=_("What it shows"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        help_text=_("A scan or the document itself: PDF, PNG, JPG, Word or Excel, up to 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seen, choices = set(), []
        for item in attested_items():
            if item.code not in seen:
                seen.add(item.code)
                mark = "★" if item.core else "▲"
                choices.append((item.code, f"{mark}{item.code} {item.title}"))
        self.fields["item_code"].choices = choices

    def fields_for_service(self) -> dict:
        """The cleaned data as the services take it (the file as ``upload``)."""
        data = dict(self.cleaned_data)
        data["upload"] = data.pop("file", None) or None
        return data


class GuidanceForm(forms.Form):
    advisor = forms.ModelChoiceField(
        label=_("Advisor teacher"), queryset=StaffPerson.objects.none(), required=False
    )
    secretary_general = forms.ModelChoiceField(
        label=_("Secretary-general teacher"), queryset=StaffPerson.objects.none(), required=False
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        staff = StaffPerson.objects.filter(school=school).order_by("unit", "name")
        for name in ("advisor", "secretary_general"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = lambda p: (
                f"{p.name}（{p.unit}{'，' + p.position if p.position else ''}）"
            )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("advisor") and not data.get("secretary_general"):
            raise forms.ValidationError(
                _("Choose the advisor teacher or the secretary-general teacher (or both).")
            )
        return data
