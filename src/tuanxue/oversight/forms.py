"""Forms of the oversight pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuanxue.org.models import Union
from tuanxue.oversight.models import (
    AssignmentKind,
    FilingDecisionKind,
    FilingKind,
    HearingTopic,
    Occasion,
)


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _unions(field, school) -> None:
    field.queryset = Union.objects.filter(school=school).order_by("college__order", "college__name")
    field.label_from_instance = lambda u: u.name


class HearingForm(forms.Form):
    union = forms.ModelChoiceField(label=_("Union"), queryset=Union.objects.none())
    held_on = _date(_("Held on"))
    meeting = forms.CharField(
        label=_("Meeting"), max_length=120, help_text=_("e.g. 校党委会、校党委常委会")
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=HearingTopic.choices, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("What was decided"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.FileField(
        label=_("Minutes (optional)"),
        required=False,
        help_text=_("PDF, PNG, JPG, Word or Excel, up to 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        _unions(self.fields["union"], school)


class LectureForm(forms.Form):
    given_on = _date(_("Given on"))
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    leader = forms.CharField(label=_("Leader"), max_length=80, help_text=_("Name and position"))
    title = forms.CharField(label=_("Title of the lecture"), max_length=200)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2200)
    document = forms.CharField(
        label=_("Document"),
        max_length=200,
        help_text=_(
            "Its full title and number, e.g. 《2020年工作要点》（粤工贸院党字〔2020〕16号）"
        ),
    )
    excerpt = forms.CharField(
        label=_("What it says about the union"), widget=forms.Textarea(attrs={"rows": 4})
    )


class AssignmentForm(forms.Form):
    union = forms.ModelChoiceField(label=_("Union"), queryset=Union.objects.none())
    kind = forms.ChoiceField(label=_("Assignment"), choices=AssignmentKind.choices)
    leader = forms.CharField(label=_("Leader"), max_length=80)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    start = _date(_("From"))
    end = _date(_("Until (leave empty while it lasts)"), required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        _unions(self.fields["union"], school)


class FilingForm(forms.Form):
    union = forms.ModelChoiceField(label=_("Union"), queryset=Union.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=FilingKind.choices)
    title = forms.CharField(label=_("Filing title"), max_length=160)
    occurs_on = _date(_("Date of the matter"))
    counterpart = forms.CharField(
        label=_("External party"),
        max_length=160,
        required=False,
        help_text=_("For an external contact: the organisation or person outside the school."),
    )
    content = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What, who, when, where, and what the union plans to do."),
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = Union.objects.filter(pk__in=[u.pk for u in unions])
        self.fields["union"].label_from_instance = lambda u: u.name


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=FilingDecisionKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (needed to return)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
