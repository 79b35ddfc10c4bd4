"""The executive chair rotation of a union: everyone of the school reads it; the League committee
generates it for chosen semesters and edits single semesters."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form
from tuanxue.core.models import Semester
from tuanxue.org.access import get_union_for_viewer
from tuanxue.org.rotation import services as rotation
from tuanxue.org.views import login_required_page


class GenerateForm(forms.Form):
    semesters = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Semesters"),
        queryset=Semester.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, school, everything: bool, **kwargs):
        super().__init__(*args, **kwargs)
        semesters = Semester.objects.filter(school=school).order_by("start")
        if not everything:
            semesters = semesters.filter(start__gte=timezone.localdate())
        field = self.fields["semesters"]
        field.queryset = semesters
        field.label_from_instance = lambda s: f"{s.code}（{s.start:%Y-%m-%d} – {s.end:%Y-%m-%d}）"


class SetForm(forms.Form):
    semester = forms.ModelChoiceField(label=gettext_lazy("Semester"), queryset=None)
    membership = forms.ModelChoiceField(label=gettext_lazy("Executive chair"), queryset=None)

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"].queryset = Semester.objects.filter(school=union.school)
        self.fields["membership"].queryset = rotation.presidium_posts(union)


@login_required_page
def rotation_page(request, school: str, union_id: int):
    viewer = request.viewer
    union = get_union_for_viewer(union_id, viewer)
    if union.school.code != school:
        raise Http404
    can_edit = viewer.guides_union(union)
    everything = request.GET.get("all") == "1" or request.POST.get("all") == "1"
    action = request.POST.get("action") if request.method == "POST" else None
    generate_form = GenerateForm(
        request.POST if action == "generate" else None, school=union.school, everything=everything
    )
    set_form = SetForm(request.POST if action == "set" else None, union=union)
    if action is not None:
        if not can_edit:
            raise PermissionDenied
        form = generate_form if action == "generate" else set_form
        if action in ("generate", "set") and form.is_valid():
            try:
                if action == "generate":
                    rotation.rotation_generate(
                        actor=request.user,
                        union=union,
                        semesters=list(form.cleaned_data["semesters"]),
                    )
                    messages.success(request, _("The rotation was generated."))
                else:
                    slot = rotation.rotation_set(
                        actor=request.user,
                        union=union,
                        semester=form.cleaned_data["semester"],
                        membership=form.cleaned_data["membership"],
                    )
                    messages.success(
                        request,
                        _("%(name)s is the executive chair of %(semester)s.")
                        % {"name": slot.membership.student.name, "semester": slot.semester.code},
                    )
            except DomainError as exc:
                refuse_form(form, exc)
            else:
                return redirect("org:rotation", school=school, union_id=union.pk)
    today = timezone.localdate()
    slots = list(rotation.rotation_slots(union))
    rows = []
    if can_edit:
        posts = list(rotation.presidium_posts(union))
    for slot in slots:
        row = {
            "slot": slot,
            "current": slot.semester.start <= today <= slot.semester.end,
        }
        if can_edit:
            row["candidates"] = rotation.serving_on(posts, slot.semester.start)
        rows.append(row)
    return render(
        request,
        "org/rotation.html",
        {
            "school": union.school,
            "union": union,
            "rows": rows,
            "can_edit": can_edit,
            "generate_form": generate_form,
            "set_form": set_form,
            "everything": everything,
            "today": today,
        },
    )
