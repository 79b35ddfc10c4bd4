from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuanxue.linkage.models import ClassRoleKind, NoticeKind, Sender


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=NoticeKind.choices)
    sender = forms.ChoiceField(label=_("sent by"), choices=Sender.choices)
    title = forms.CharField(label=_("title"), max_length=120)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 6}))
    deadline = forms.DateTimeField(
        label=_("deadline"),
        required=False,
        help_text=_("For a task"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    colleges = forms.MultipleChoiceField(
        label=_("colleges"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every college"),
    )

    def __init__(self, *args, senders, colleges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].choices = [c for c in Sender.choices if c[0] in senders]
        self.fields["colleges"].choices = [(str(c.pk), c.name) for c in colleges]


class ForwardForm(forms.Form):
    addition = forms.CharField(
        label=_("the college's additions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    classes = forms.MultipleChoiceField(
        label=_("classes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every class of the college"),
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classes"].choices = [(str(c.pk), c.name) for c in classes]


class ReportForm(forms.Form):
    report = forms.CharField(label=_("completion report"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(
        label=_("attachment"),
        required=False,
        help_text=_("Optional: PDF, picture, Word or Excel"),
    )


class RolesForm(forms.Form):
    """One choice per class role among the class's students."""

    def __init__(self, *args, students, current, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(s.pk), s.name) for s in students]
        for value, label in ClassRoleKind.choices:
            self.fields[value] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=current.get(value, "")
            )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label=_("attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    decisions = forms.CharField(
        label=_("matters decided"), widget=forms.Textarea(attrs={"rows": 4})
    )
