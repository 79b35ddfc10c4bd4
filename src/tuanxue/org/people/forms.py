"""Forms of the people pages. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuanxue.org.models import ClassGroup, College, Role, StaffPerson, Student
from tuanxue.org.people import rules


class StaffForm(forms.Form):
    staff_no = forms.CharField(label=_("Staff number"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=50)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=80,
        help_text=_("Such as 校团委, 党委学生工作部, 教务处 or a college"),
    )
    position = forms.CharField(label=_("Position"), max_length=80, required=False)
    college = forms.ModelChoiceField(
        label=_("College"),
        queryset=College.objects.none(),
        required=False,
        help_text=_("For a college's teachers and officers"),
    )
    phone = forms.CharField(label=_("Mobile"), max_length=20, required=False)
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        help_text=_("Used to send a password-reset link"),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = College.objects.filter(school=school)


class GrantForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        max_length=150,
        help_text=_("Student number, staff number or username; search above to find it"),
    )
    role = forms.ChoiceField(label=_("Role"))
    college = forms.ModelChoiceField(
        label=_("College"),
        queryset=College.objects.none(),
        required=False,
        help_text=_("For college roles"),
    )
    class_name = forms.CharField(
        label=_("Class"),
        max_length=80,
        required=False,
        help_text=_("For a League branch secretary"),
        widget=forms.TextInput(attrs={"list": "class-names", "autocomplete": "off"}),
    )

    def __init__(self, *args, school, roles, colleges, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["college"].queryset = colleges

    def clean_class_name(self):
        name = self.cleaned_data["class_name"].strip()
        if not name:
            self.cleaned_data["class_group"] = None
            return name
        group = (
            ClassGroup.objects.select_related("college")
            .filter(school=self.school, name=name)
            .first()
        )
        if group is None:
            raise forms.ValidationError(
                _("There is no class %(name)s in this school."), params={"name": name}
            )
        self.cleaned_data["class_group"] = group
        return name


class CreateAccountsForm(forms.Form):
    PEOPLE = [("students", _("Students")), ("staff", _("Teachers and staff"))]
    people = forms.ChoiceField(label=_("For"), choices=PEOPLE, widget=forms.RadioSelect)
    college = forms.ModelChoiceField(
        label=_("College"), queryset=College.objects.none(), required=False
    )
    class_name = forms.CharField(label=_("Class"), max_length=80, required=False)

    def __init__(self, *args, school, colleges, whole_school: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["college"].queryset = colleges
        self.fields["people"].initial = "students"
        if not whole_school:
            self.fields["people"].choices = self.PEOPLE[:1]
            self.fields["college"].required = True

    def clean_class_name(self):
        name = self.cleaned_data["class_name"].strip()
        self.cleaned_data["class_group"] = None
        if name:
            group = ClassGroup.objects.filter(school=self.school, name=name).first()
            if group is None:
                raise forms.ValidationError(
                    _("There is no class %(name)s in this school."), params={"name": name}
                )
            self.cleaned_data["class_group"] = group
        return name


class UsernameForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)


class LinkForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    number = forms.CharField(
        label=_("Student or staff number"),
        max_length=20,
        help_text=_("The record the account belongs to"),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        student = Student.objects.filter(school=self.school, student_no=number).first()
        staff = StaffPerson.objects.filter(school=self.school, staff_no=number).first()
        if student is None and staff is None:
            raise forms.ValidationError(
                _("No student or staff member with number %(no)s in this school."),
                params={"no": number},
            )
        if student is not None and staff is not None:
            raise forms.ValidationError(
                _("%(no)s is both a student number and a staff number; ask the operator."),
                params={"no": number},
            )
        self.cleaned_data["student"] = student
        self.cleaned_data["staff"] = staff
        return number


def grantable_roles(viewer, school) -> list[str]:
    return [
        r
        for r in rules.GRANTABLE
        if viewer.is_league_committee(school)
        or (r not in rules.SCHOOL_SCOPED and rules.league_college_ids(viewer, school))
    ]
