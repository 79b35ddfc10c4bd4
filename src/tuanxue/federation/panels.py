"""The federation's links on the school home page: the province page for the federation, the
submissions page for the school offices."""

from __future__ import annotations

from tuanxue.federation.models import Submission


def home_panel(request, school) -> dict | None:
    viewer = request.viewer
    if not (viewer.is_federation or viewer.has_school_office(school)):
        return None
    latest = (
        Submission.objects.filter(school=school)
        .only("pk", "assessed_on", "state", "passed")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    return {
        "template": "federation/_home_panel.html",
        "is_federation": viewer.is_federation,
        "latest": latest,
    }
