"""The minutes page of a congress session (narrative editable by the League committee and the
union's managers) and its PDF / Word downloads. Anyone of the school may read the minutes; others
get 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tuanxue.congress.minutes.documents import minutes_docx, minutes_pdf
from tuanxue.congress.minutes.services import may_edit_minutes, minutes, minutes_narrative_save
from tuanxue.congress.models import CongressSession
from tuanxue.core.errors import DomainError
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.views import login_required_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _session(request, school: str, session_id: int) -> CongressSession:
    school_obj = get_school_for_viewer(school, request.viewer)
    session = (
        CongressSession.objects.select_related("school", "union")
        .filter(school=school_obj, pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


@login_required_page
@require_http_methods(["GET", "POST"])
def minutes_page(request, school: str, session_id: int):
    session = _session(request, school, session_id)
    may_edit = may_edit_minutes(request.user, session)
    error = ""
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        try:
            minutes_narrative_save(
                actor=request.user, session=session, text=request.POST.get("narrative", "")
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect("minutes:page", school=school, session_id=session.pk)
    return render(
        request,
        "congress/minutes.html",
        {
            "session": session,
            "m": minutes(session),
            "may_edit": may_edit,
            "error": error,
            "narrative": request.POST.get("narrative", session.minutes_narrative)
            if error
            else session.minutes_narrative,
        },
    )


def _download(request, school, session_id, build, suffix, content_type):
    session = _session(request, school, session_id)
    response = HttpResponse(build(minutes(session)), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="congress-{session.pk}-minutes.{suffix}"'
    )
    return response


@login_required_page
def minutes_pdf_view(request, school: str, session_id: int):
    return _download(request, school, session_id, minutes_pdf, "pdf", "application/pdf")


@login_required_page
def minutes_docx_view(request, school: str, session_id: int):
    return _download(request, school, session_id, minutes_docx, "docx", DOCX)
