"""Congress preparation pages: sessions, the session page, nominations, elections, credential
review, the public notice and objections.

Everyone of the school sees sessions and delegates (name, college, status — no personal data);
outsiders get 404; an action by someone without the right gets 403.
"""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuanxue.congress.forms import (
    AnswerForm,
    NominateForm,
    NoticeForm,
    ObjectionForm,
    ReviewForm,
    SessionForm,
)
from tuanxue.congress.models import (
    CongressSession,
    Delegate,
    DelegateStatus,
    Milestone,
    Objection,
    SessionStatus,
)
from tuanxue.congress.sessions import delegates as delegate_services
from tuanxue.congress.sessions import services as session_services
from tuanxue.congress.sessions.quota import coverage
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.access import get_school_for_viewer, is_league_committee
from tuanxue.org.models import Role, Society
from tuanxue.org.views import login_required_page


def get_session(request, school: str, session_id: int) -> CongressSession:
    school_obj = get_school_for_viewer(school, request.viewer)
    session = (
        CongressSession.objects.select_related("school", "union")
        .filter(school=school_obj, pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def run_action(request, call, success: str):
    """Call a service; a refusal for lack of right is a 403, any other is shown as a message."""
    try:
        result = call()
    except DomainError as exc:
        refuse_message(request, exc)
        return None
    messages.success(request, success)
    return result


def session_redirect(session: CongressSession):
    return redirect("congress:session", school=session.school.code, session_id=session.pk)


# -- sessions ------------------------------------------------------------------------------------


@login_required_page
def session_list(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    return render(
        request,
        "congress/sessions.html",
        {
            "school": school_obj,
            "sessions": CongressSession.objects.filter(school=school_obj).select_related("union"),
            "is_league": is_league_committee(request.user, school_obj),
        },
    )


@login_required_page
def session_new(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not is_league_committee(request.user, school_obj):
        raise PermissionDenied
    union = school_obj.unions.filter(college__isnull=True).first()
    if union is None:
        raise Http404
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_services.session_create(
                actor=request.user, union=union, **form.cleaned_data
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": session.name})
            return session_redirect(session)
    return render(
        request,
        "congress/form.html",
        {
            "school": school_obj,
            "form": form,
            "heading": _("New congress session"),
            "back": reverse("congress:sessions", args=[school_obj.code]),
        },
    )


@login_required_page
def session_detail(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    viewer = request.viewer
    is_league = is_league_committee(request.user, session.school)
    cov = coverage(session)
    delegates = list(
        Delegate.objects.filter(session=session)
        .select_related("student", "college", "society")
        .order_by("college__order", "college__name", "student__student_no")
    )
    by_college: OrderedDict = OrderedDict()
    for delegate in delegates:
        by_college.setdefault(delegate.college, []).append(delegate)
    objections = Objection.objects.filter(delegate__session=session).select_related(
        "delegate__student"
    )
    elect_colleges = {g.college_id for g in viewer.grants_for(Role.COLLEGE_LEAGUE) if g.college_id}
    may_nominate = bool(viewer.branch_class_ids() or elect_colleges)
    return render(
        request,
        "congress/session.html",
        {
            "school": session.school,
            "session": session,
            "milestones": session.milestones.all(),
            "coverage": cov,
            "by_college": by_college,
            "delegate_count": len(delegates),
            "objections": list(objections) if is_league else [],
            "objection_count": objections.count(),
            "unanswered_count": objections.filter(answered_at__isnull=True).count(),
            "is_league": is_league,
            "is_door": session_services.is_door_staff(request.user, session),
            "elect_colleges": elect_colleges,
            "may_nominate": may_nominate and session.status in session_services.EDITABLE,
            "notice_running": session_services.notice_running(session),
            "may_object": viewer.school is not None and viewer.school.pk == session.school_id,
            "editable": session.status in session_services.EDITABLE,
            "notice_form": NoticeForm(initial={"until": session.notice_until}),
            "answer_form": AnswerForm(),
            "Status": SessionStatus,
            "DelegateStatus": DelegateStatus,
        },
    )


@require_POST
@login_required_page
def milestone_done(request, school: str, session_id: int, milestone_id: int):
    session = get_session(request, school, session_id)
    milestone = Milestone.objects.filter(session=session, pk=milestone_id).first()
    if milestone is None:
        raise Http404
    run_action(
        request,
        lambda: session_services.milestone_done(actor=request.user, milestone=milestone),
        _("%(title)s is done.") % {"title": milestone.title},
    )
    return session_redirect(session)


@require_POST
@login_required_page
def notice(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    if not is_league_committee(request.user, session.school):
        raise PermissionDenied
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last day of the public notice."))
    else:
        run_action(
            request,
            lambda: session_services.notice_start(
                actor=request.user, session=session, until=form.cleaned_data["until"]
            ),
            _("The delegates are on public notice."),
        )
    return session_redirect(session)


@require_POST
@login_required_page
def session_open(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    run_action(
        request,
        lambda: session_services.session_open(actor=request.user, session=session),
        _("The session is open."),
    )
    return session_redirect(session)


@require_POST
@login_required_page
def session_close(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    run_action(
        request,
        lambda: session_services.session_close(actor=request.user, session=session),
        _("The session is closed."),
    )
    return session_redirect(session)


# -- delegates -----------------------------------------------------------------------------------


def get_delegate(session: CongressSession, delegate_id: int) -> Delegate:
    delegate = (
        Delegate.objects.select_related("student__class_group", "college", "session__school")
        .filter(session=session, pk=delegate_id)
        .first()
    )
    if delegate is None:
        raise Http404
    return delegate


@login_required_page
def nominate(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    viewer = request.viewer
    if not (viewer.branch_class_ids() or viewer.grants_for(Role.COLLEGE_LEAGUE)):
        raise PermissionDenied
    students = delegate_services.nominable_students(request.user, session)
    form = NominateForm(
        request.POST or None,
        students=students,
        societies=Society.objects.filter(school=session.school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            delegate = delegate_services.delegate_nominate(
                actor=request.user,
                session=session,
                student=form.cleaned_data["student"],
                society=form.cleaned_data["society"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request, _("%(name)s was nominated.") % {"name": delegate.student.name}
            )
            return redirect("congress:nominate", school=school, session_id=session.pk)
    return render(
        request,
        "congress/form.html",
        {
            "school": session.school,
            "session": session,
            "form": form,
            "heading": _("Nominate a delegate to %(session)s") % {"session": session.name},
            "back": reverse("congress:session", args=[session.school.code, session.pk]),
        },
    )


@require_POST
@login_required_page
def elect(request, school: str, session_id: int, delegate_id: int):
    session = get_session(request, school, session_id)
    delegate = get_delegate(session, delegate_id)
    run_action(
        request,
        lambda: delegate_services.delegate_elect(actor=request.user, delegate=delegate),
        _("%(name)s was elected by the college.") % {"name": delegate.student.name},
    )
    return session_redirect(session)


@login_required_page
def review(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    if not is_league_committee(request.user, session.school):
        raise PermissionDenied
    delegates = (
        Delegate.objects.filter(session=session)
        .exclude(status__in=[DelegateStatus.NOMINATED, DelegateStatus.WITHDRAWN])
        .select_related("student__class_group", "college", "society")
        .order_by("status", "college__order", "college__name", "student__student_no")
    )
    return render(
        request,
        "congress/review.html",
        {
            "school": session.school,
            "session": session,
            "delegates": delegates,
            "form": ReviewForm(),
            "editable": session.status in session_services.EDITABLE,
            "DelegateStatus": DelegateStatus,
        },
    )


@require_POST
@login_required_page
def review_delegate(request, school: str, session_id: int, delegate_id: int):
    session = get_session(request, school, session_id)
    delegate = get_delegate(session, delegate_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        run_action(
            request,
            lambda: delegate_services.credential_review(
                actor=request.user,
                delegate=delegate,
                confirmed=form.cleaned_data["confirmed"],
                note=form.cleaned_data["note"],
            ),
            _("The credentials of %(name)s were reviewed.") % {"name": delegate.student.name},
        )
    return redirect("congress:review", school=school, session_id=session.pk)


@login_required_page
def object_to(request, school: str, session_id: int, delegate_id: int):
    session = get_session(request, school, session_id)
    delegate = get_delegate(session, delegate_id)
    viewer = request.viewer
    if viewer.school is None or viewer.school.pk != session.school_id:
        raise PermissionDenied
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegate_services.objection_file(
                actor=request.user, delegate=delegate, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Your objection was filed; the League committee answers."))
            return session_redirect(session)
    return render(
        request,
        "congress/form.html",
        {
            "school": session.school,
            "session": session,
            "form": form,
            "heading": _("Object to delegate %(name)s (%(college)s)")
            % {"name": delegate.student.name, "college": delegate.college.name},
            "warning": None
            if session_services.notice_running(session)
            else _("Objections can be filed only while the delegates are on public notice."),
            "back": reverse("congress:session", args=[session.school.code, session.pk]),
        },
    )


@require_POST
@login_required_page
def answer(request, school: str, session_id: int, objection_id: int):
    session = get_session(request, school, session_id)
    objection = (
        Objection.objects.select_related("delegate__session__school")
        .filter(delegate__session=session, pk=objection_id)
        .first()
    )
    if objection is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        if not is_league_committee(request.user, session.school):
            raise PermissionDenied
        messages.error(request, _("Write the answer."))
    else:
        run_action(
            request,
            lambda: delegate_services.objection_answer(
                actor=request.user, objection=objection, answer=form.cleaned_data["answer"]
            ),
            _("The objection was answered."),
        )
    return session_redirect(session)
