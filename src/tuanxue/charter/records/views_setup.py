"""The setup checklist page, and its panel on the League committee's home page."""

from __future__ import annotations

from django.shortcuts import render

from tuanxue.charter.records.access import get_records_school, may_write
from tuanxue.charter.records.setup import setup_checklist
from tuanxue.org.models import Role
from tuanxue.org.views import login_required_page


@login_required_page
def checklist(request, school: str):
    school_obj = get_records_school(school, request.viewer)
    return render(
        request,
        "charter/records/setup.html",
        {
            "school": school_obj,
            "checklist": setup_checklist(school_obj),
            "may_write": may_write(request.viewer, school_obj),
        },
    )


def home_panel(request, school) -> dict | None:
    """The checklist on the school home page, for the League committee, until it is complete."""
    viewer = request.viewer
    if not any(g.school_id == school.pk for g in viewer.grants_for(Role.SCHOOL_LEAGUE)):
        return None
    result = setup_checklist(school)
    if result.complete:
        return None
    return {"template": "charter/records/_setup_panel.html", "checklist": result}
