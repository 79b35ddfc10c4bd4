"""Forms for changing a union's bodies and posts. They only parse input; services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuanxue.org import policy
from tuanxue.org.models import Department, EndReason, Student, Title


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Department name"), max_length=40)
    remit = forms.CharField(
        label=_("Remit"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RemitForm(forms.Form):
    remit = forms.CharField(label=_("Remit"), widget=forms.Textarea(attrs={"rows": 5}))


class MembershipForm(forms.Form):
    student_no = forms.CharField(label=_("Student number"), max_length=20)
    body = forms.ModelChoiceField(label=_("Presidium or department"), queryset=None)
    title = forms.ChoiceField(label=_("Title"), choices=Title.choices)
    start = forms.DateField(label=_("Term start"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        self.fields["body"].queryset = Department.objects.filter(union=union).order_by(
            "order", "name"
        )
        self.fields["body"].label_from_instance = lambda b: b.name
        self.fields["start"].initial = timezone.localdate()
        # Offer only the titles the charter in force allows (no chair under rotation).
        allowed = policy.allowed_titles(union=union, day=timezone.localdate())
        if allowed is not None:
            self.fields["title"].choices = [c for c in Title.choices if c[0] in allowed]

    def clean_student_no(self):
        number = self.cleaned_data["student_no"].strip()
        student = Student.objects.filter(school=self.union.school, student_no=number).first()
        if student is None:
            raise forms.ValidationError(
                _("No student with number %(no)s in this school."), params={"no": number}
            )
        self.cleaned_data["student"] = student
        return number


class EndMembershipForm(forms.Form):
    end = forms.DateField(label=_("Term end"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end"].initial = timezone.localdate()
