"""The people pages: staff records, role grants and accounts of a school.

Users of another school get 404; users of the school who may not see a page, or may see but not
change it, get 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.models import ClassGroup, College, RoleGrant, StaffPerson
from tuanxue.org.people import accounts, rules, selectors, services
from tuanxue.org.people.forms import (
    CreateAccountsForm,
    GrantForm,
    LinkForm,
    StaffForm,
    UsernameForm,
    grantable_roles,
)
from tuanxue.org.views import login_required_page

PAGE_SIZE = 50


# Services name model fields; the forms name what the user typed.
FORM_FIELD = {"class_group": "class_name", "user": "person", "record": "number"}


def _refuse(form, exc: DomainError) -> None:
    exc.field = FORM_FIELD.get(exc.field, exc.field)
    refuse_form(form, exc)


def _school(request, code: str, may_see) -> object:
    school = get_school_for_viewer(code, request.viewer)
    if not may_see(request.viewer, school):
        raise PermissionDenied
    return school


# -- staff -----------------------------------------------------------------------------------


@login_required_page
def staff_list(request, school: str):
    school_obj = _school(request, school, rules.may_see_staff)
    query = (request.GET.get("q") or "").strip()
    rows = StaffPerson.objects.filter(school=school_obj).select_related("college", "user")
    if query:
        rows = rows.filter(
            Q(name__contains=query) | Q(staff_no__startswith=query) | Q(unit__contains=query)
        )
    page = Paginator(rows.order_by("unit", "staff_no"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/people/staff.html",
        {
            "school": school_obj,
            "page": page,
            "q": query,
            "may_edit": rules.may_edit_staff(request.viewer, school_obj),
        },
    )


def _staff_form_page(request, school_obj, person: StaffPerson | None):
    if not rules.may_edit_staff(request.viewer, school_obj):
        raise PermissionDenied
    initial = None
    if person is not None:
        initial = {name: getattr(person, name) for name in services.STAFF_FIELDS}
    form = StaffForm(request.POST or None, initial=initial, school=school_obj)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if person is None:
                person = services.staff_create(actor=request.user, school=school_obj, **data)
                messages.success(request, _("Added %(name)s.") % {"name": person.name})
            else:
                person = services.staff_update(actor=request.user, person=person, **data)
                messages.success(request, _("Saved %(name)s.") % {"name": person.name})
        except DomainError as exc:
            _refuse(form, exc)
        else:
            return redirect("people:staff", school=school_obj.code)
    return render(
        request,
        "org/people/staff_form.html",
        {"school": school_obj, "form": form, "person": person},
    )


@login_required_page
@require_http_methods(["GET", "POST"])
def staff_new(request, school: str):
    school_obj = _school(request, school, rules.may_see_staff)
    return _staff_form_page(request, school_obj, None)


@login_required_page
@require_http_methods(["GET", "POST"])
def staff_edit(request, school: str, staff_id: int):
    school_obj = _school(request, school, rules.may_see_staff)
    person = StaffPerson.objects.filter(school=school_obj, pk=staff_id).first()
    if person is None:
        raise Http404
    return _staff_form_page(request, school_obj, person)


# -- roles -----------------------------------------------------------------------------------


def _scope_colleges(viewer, school) -> set[int] | None:
    """None: the whole school; else the colleges a college office looks after."""
    if viewer.is_league_committee(school) or viewer.has_school_office(school):
        return None
    return rules.office_college_ids(viewer, school)


@login_required_page
@require_http_methods(["GET", "POST"])
def roles(request, school: str):
    viewer = request.viewer
    school_obj = _school(request, school, rules.may_see_roles)
    may_manage = rules.may_manage_roles(viewer, school_obj)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    if viewer.is_league_committee(school_obj):
        colleges = College.objects.filter(school=school_obj)
    else:
        colleges = College.objects.filter(pk__in=rules.league_college_ids(viewer, school_obj))
    form = None
    if may_manage:
        initial = {"person": request.GET.get("person", "")}
        form = GrantForm(
            request.POST or None,
            initial=initial,
            school=school_obj,
            roles=grantable_roles(viewer, school_obj),
            colleges=colleges,
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = selectors.resolve_person(school_obj, data["person"])
        if user is None:
            form.add_error(
                "person",
                _("No one in this school has a login under %(text)s; create their account first.")
                % {"text": data["person"]},
            )
        else:
            try:
                grant = services.role_grant_give(
                    actor=request.user,
                    school=school_obj,
                    user=user,
                    role=data["role"],
                    college=data["college"],
                    class_group=data["class_group"],
                )
            except DomainError as exc:
                _refuse(form, exc)
            else:
                messages.success(
                    request,
                    _("%(user)s is now %(role)s (%(scope)s).")
                    % {
                        "user": user.first_name or user.get_username(),
                        "role": grant.get_role_display(),
                        "scope": services.scope_label(grant),
                    },
                )
                return redirect("people:roles", school=school_obj.code)
    query = (request.GET.get("q") or "").strip()
    scope = _scope_colleges(viewer, school_obj)
    candidates = []
    if may_manage and query:
        search_scope = None if viewer.is_league_committee(school_obj) else scope
        candidates = selectors.search_people(school_obj, query, search_scope)
    grants = list(selectors.open_grants(school_obj, scope))
    rows = [
        (
            g,
            services.scope_label(g),
            may_manage
            and rules.may_grant(viewer, school_obj, g.role, services.grant_college_id(g)),
        )
        for g in grants
    ]
    return render(
        request,
        "org/people/roles.html",
        {
            "school": school_obj,
            "form": form,
            "rows": rows,
            "q": query,
            "candidates": candidates,
            "may_manage": may_manage,
            "class_names": (
                ClassGroup.objects.filter(college__in=colleges)
                .order_by("name")
                .values_list("name", flat=True)
                if may_manage
                else []
            ),
        },
    )


@login_required_page
@require_POST
def role_revoke(request, school: str, grant_id: int):
    school_obj = _school(request, school, rules.may_see_roles)
    grant = (
        RoleGrant.objects.select_related("school", "user", "class_group", "college")
        .filter(school=school_obj, pk=grant_id)
        .first()
    )
    if grant is None:
        raise Http404
    try:
        services.role_grant_withdraw(actor=request.user, grant=grant)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(
            request,
            _("%(user)s no longer holds %(role)s (%(scope)s).")
            % {
                "user": grant.user.first_name or grant.user.get_username(),
                "role": grant.get_role_display(),
                "scope": services.scope_label(grant),
            },
        )
    return redirect("people:roles", school=school_obj.code)


# -- accounts --------------------------------------------------------------------------------


def _accounts_forms(request, school_obj, data=None):
    viewer = request.viewer
    whole = viewer.is_league_committee(school_obj)
    allowed = rules.account_colleges(viewer, school_obj)
    colleges = College.objects.filter(school=school_obj)
    if allowed is not None:
        colleges = colleges.filter(pk__in=allowed)
    return {
        "create_form": CreateAccountsForm(
            data, school=school_obj, colleges=colleges, whole_school=whole
        ),
        "reset_form": UsernameForm(data, prefix="reset"),
        "link_form": LinkForm(data, prefix="link", school=school_obj),
    }


def _accounts_page(request, school_obj, *, status=200, **extra):
    viewer = request.viewer
    forms = extra.pop("forms", None) or _accounts_forms(request, school_obj)
    scope = (
        None
        if viewer.has_school_office(school_obj)
        else rules.league_college_ids(viewer, school_obj)
    )
    context = {
        "school": school_obj,
        "may_manage": rules.may_manage_accounts(viewer, school_obj),
        "counts": selectors.account_counts(school_obj, scope),
        **forms,
        **extra,
    }
    return render(request, "org/people/accounts.html", context, status=status)


@login_required_page
def accounts_page(request, school: str):
    school_obj = _school(request, school, rules.may_see_accounts)
    return _accounts_page(request, school_obj)


def _manager(request, school: str):
    school_obj = _school(request, school, rules.may_see_accounts)
    if not rules.may_manage_accounts(request.viewer, school_obj):
        raise PermissionDenied
    return school_obj


@login_required_page
@require_POST
def accounts_create(request, school: str):
    school_obj = _manager(request, school)
    forms = _accounts_forms(request, school_obj, request.POST)
    form = forms["create_form"]
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = accounts.accounts_create(
                actor=request.user,
                school=school_obj,
                people=data["people"],
                college=data["college"] if data["people"] == "students" else None,
                class_group=data["class_group"] if data["people"] == "students" else None,
                limit=settings.ACCOUNTS_PAGE_LIMIT,
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            if result.created:
                return _workbook_response(school_obj, result)
            form.add_error(
                None,
                _(
                    "No account was created: everyone here already has one "
                    "(%(already)s), or their number is taken (%(taken)s)."
                )
                % {"already": result.already, "taken": len(result.taken)},
            )
    forms = {**_accounts_forms(request, school_obj), "create_form": form}
    return _accounts_page(request, school_obj, status=400, forms=forms)


def _workbook_response(school_obj, result) -> HttpResponse:
    content = accounts.logins_workbook_bytes(result)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="logins-{school_obj.code}-{result.people}-{stamp}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Accounts-Created"] = str(result.created)
    response["X-Accounts-Skipped"] = str(len(result.taken))
    return response


@login_required_page
@require_POST
def account_reset(request, school: str):
    school_obj = _manager(request, school)
    forms = _accounts_forms(request, school_obj, request.POST)
    form = forms["reset_form"]
    if form.is_valid():
        try:
            user = accounts.find_user(school=school_obj, username=form.cleaned_data["username"])
            password = accounts.password_reset_by_office(
                actor=request.user, school=school_obj, user=user
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            response = _accounts_page(
                request,
                school_obj,
                reset_done={"username": user.get_username(), "password": password},
            )
            response["Cache-Control"] = "no-store"
            return response
    forms = {**_accounts_forms(request, school_obj), "reset_form": form}
    return _accounts_page(request, school_obj, status=400, forms=forms)


@login_required_page
@require_POST
def account_link(request, school: str):
    school_obj = _manager(request, school)
    forms = _accounts_forms(request, school_obj, request.POST)
    form = forms["link_form"]
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.find_user(school=school_obj, username=data["username"])
            record = accounts.account_link(
                actor=request.user,
                school=school_obj,
                user=user,
                student=data["student"],
                staff=data["staff"],
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(
                request,
                _("Account %(user)s is now linked to %(record)s.")
                % {"user": user.get_username(), "record": record},
            )
            return redirect("people:accounts", school=school_obj.code)
    forms = {**_accounts_forms(request, school_obj), "link_form": form}
    return _accounts_page(request, school_obj, status=400, forms=forms)
