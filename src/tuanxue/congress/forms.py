"""Forms of the congress preparation and check-in pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tuanxue.congress.models import CongressSession

DATE = forms.DateInput(attrs={"type": "date"})


class SessionForm(forms.ModelForm):
    class Meta:
        model = CongressSession
        fields = [
            "number",
            "name",
            "held_on",
            "venue",
            "roster_cutoff",
            "quorum",
            "cosigners_needed",
        ]
        widgets = {"held_on": DATE, "roster_cutoff": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roster_cutoff"].help_text = _(
            "Recorded with the session. The registry keeps no enrolment history, so quotas "
            "count the current roster of each college."
        )
        self.fields["quorum"].initial = Decimal("0.667")


class NominateForm(forms.Form):
    student = forms.ModelChoiceField(queryset=None, label=_("student"))
    society = forms.ModelChoiceField(queryset=None, label=_("society represented"), required=False)

    def __init__(self, *args, students, societies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda s: (
            f"{s.name}（{s.student_no}，{s.class_group.name}）"
        )
        self.fields["society"].queryset = societies


class ReviewForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("confirm the credentials")), ("0", _("do not confirm"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoticeForm(forms.Form):
    until = forms.DateField(label=_("public notice until"), widget=DATE)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("objection"), widget=forms.Textarea)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 2}))


class DoorForm(forms.Form):
    card_code = forms.CharField(
        label=_("card code or scanned link"),
        max_length=300,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class HallCodeForm(forms.Form):
    hall = forms.CharField(
        label=_("hall code shown on the screen"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
