"""Forms for the review pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuanxue.review.models import DIMENSIONS, DisciplineKind, StudyKind, dimension_labels


class SessionForm(forms.Form):
    union = forms.ChoiceField(label=_("Union"))
    semester = forms.ChoiceField(label=_("Semester"))
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=120, required=False)

    def __init__(self, *args, unions=(), semesters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].choices = [(u.pk, u.name) for u in unions]
        self.fields["semester"].choices = [(s.pk, s.code) for s in semesters]


class PanelForm(forms.Form):
    members = forms.CharField(
        label=_("Panel members"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One per line: the username, a space, and the kind — student, student_affairs or "
            "league."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AddRevieweeForm(ReasonForm):
    membership = forms.ChoiceField(label=_("Post"))

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.student.name} · {m.body.name} {m.get_title_display()}") for m in posts
        ]
        self.order_fields(["membership", "reason"])


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm."), required=True)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("Duty report"), widget=forms.Textarea(attrs={"rows": 12}), max_length=20000
    )


class SheetForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional, shown to the reviewee without your name)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, scale_max=100, grades=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dimension_labels()
        for d in DIMENSIONS:
            if grades:
                self.fields[d] = forms.ChoiceField(
                    label=labels[d], choices=[("", "—")] + [(g, g) for g in grades]
                )
                continue
            self.fields[d] = forms.CharField(
                label=labels[d],
                widget=forms.NumberInput(
                    attrs={"min": 0, "max": scale_max, "inputmode": "numeric"}
                ),
            )
        self.order_fields([*DIMENSIONS, "comment"])


class DecideProposalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("remove", _("Remove from the post")), ("keep", _("Keep in the post"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DisciplineForm(forms.Form):
    student_no = forms.CharField(label=_("Student number"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=DisciplineKind.choices)
    basis = forms.CharField(label=_("Basis (regulation and article)"), max_length=200)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}))
    decided_by = forms.CharField(label=_("Decided by"), max_length=80)
    decided_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class StudyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Form"), choices=StudyKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    materials = forms.CharField(
        label=_("Materials"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    convention = forms.BooleanField(
        label=_("Yearly study of the self-discipline convention"), required=False
    )
    activity = forms.CharField(
        label=_("Activity for QR check-in (id, optional)"), required=False, max_length=12
    )


class RollCallForm(forms.Form):
    student_no = forms.CharField(label=_("Student number"), max_length=20)


class MeetingForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    agenda = forms.CharField(
        label=_("Agenda (one item per line; the first should be study)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))
