"""The people pages: who may see and change staff, roles and accounts; the workbook download;
the forced password change after an initial or reset password; the reset by e-mail."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.org.people_kit import second_college, staff_user
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import AccountState, Role, RoleGrant, StaffPerson, Student
from tuanxue.org.people import accounts

pytestmark = pytest.mark.django_db


def urls(kit):
    code = kit.school.code
    return {
        "staff": reverse("people:staff", args=[code]),
        "staff_new": reverse("people:staff_new", args=[code]),
        "roles": reverse("people:roles", args=[code]),
        "accounts": reverse("people:accounts", args=[code]),
    }


POSTS = ("accounts_create", "account_reset", "account_link")


def post_urls(kit):
    return [reverse(f"people:{name}", args=[kit.school.code]) for name in POSTS]


# -- permissions -----------------------------------------------------------------------------


def test_league_committee_opens_every_page(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    for url in urls(kit).values():
        assert client.get(url).status_code == 200, url


def test_student_gets_403_everywhere(client, kit):
    client.force_login(kit.user(student=True))
    for url in urls(kit).values():
        assert client.get(url).status_code == 403, url
    for url in post_urls(kit):
        assert client.post(url, {}).status_code == 403, url
    assert client.post(urls(kit)["roles"], {}).status_code == 403


def test_student_affairs_reads_but_does_not_change(client, kit):
    client.force_login(kit.user(role=Role.STUDENT_AFFAIRS))
    page = urls(kit)
    for name in ("staff", "roles", "accounts"):
        response = client.get(page[name])
        assert response.status_code == 200, name
    assert client.get(page["roles"]).context["form"] is None
    assert client.post(page["roles"], {"person": "x", "role": Role.SCHOOL_PARTY}).status_code == 403
    for url in post_urls(kit):
        assert client.post(url, {}).status_code == 403, url
    # Student Affairs manages the registry: it may add staff.
    assert client.get(page["staff_new"]).status_code == 200


def test_college_league_reads_staff_but_does_not_edit(client, kit):
    client.force_login(kit.user(role=Role.COLLEGE_LEAGUE))
    assert client.get(urls(kit)["staff"]).status_code == 200
    assert client.get(urls(kit)["staff_new"]).status_code == 403
    person = StaffPerson.objects.create(school=kit.school, staff_no="T1", name="甲", unit="教务处")
    edit = reverse("people:staff_edit", args=[kit.school.code, person.pk])
    assert client.post(edit, {"staff_no": "T1", "name": "乙", "unit": "x"}).status_code == 403


def test_outsiders_get_404(client, kit, other_kit):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    for url in [*urls(kit).values(), *post_urls(kit)]:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code == 404, url
    grant = RoleGrant.objects.create(
        user=staff_user(kit), role=Role.SCHOOL_PARTY, school=kit.school
    )
    revoke = reverse("people:role_revoke", args=[kit.school.code, grant.pk])
    assert client.post(revoke).status_code == 404
    person = StaffPerson.objects.create(school=kit.school, staff_no="T1", name="甲", unit="教务处")
    assert (
        client.get(reverse("people:staff_edit", args=[kit.school.code, person.pk])).status_code
        == 404
    )


def test_anonymous_goes_to_login(client, kit):
    response = client.get(urls(kit)["roles"])
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_admin_redirects_home(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    for path in ("/admin/", "/admin/auth/user/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/"


# -- staff -----------------------------------------------------------------------------------


def test_add_and_edit_staff_on_the_page(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    page = urls(kit)
    response = client.post(
        page["staff_new"],
        {
            "staff_no": "T100",
            "name": "孙老师",
            "unit": "信息学院",
            "college": kit.college.pk,
            "phone": "13900001111",
            "email": "sun@example.edu.cn",
        },
    )
    assert response.status_code == 302
    person = StaffPerson.objects.get(staff_no="T100")
    assert person.college == kit.college
    edit = reverse("people:staff_edit", args=[kit.school.code, person.pk])
    response = client.post(
        edit, {"staff_no": "T100", "name": "孙老师", "unit": "信息学院", "phone": "bad"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    response = client.post(
        edit, {"staff_no": "T100", "name": "孙老师", "unit": "校团委", "phone": ""}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.unit == "校团委"
    assert AuditEvent.objects.filter(action="org.staff.updated", target_id=str(person.pk)).exists()
    listing = client.get(page["staff"], {"q": "孙"})
    assert "T100" in listing.content.decode()


# -- roles -----------------------------------------------------------------------------------


def test_league_committee_finds_a_teacher_and_grants_then_revokes(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    teacher = staff_user(kit, name="吴老师")
    page = urls(kit)["roles"]
    found = client.get(page, {"q": "吴"})
    assert [c.username for c in found.context["candidates"]] == [teacher.username]
    response = client.post(page, {"person": teacher.username, "role": Role.STUDENT_AFFAIRS})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=teacher, role=Role.STUDENT_AFFAIRS, revoked_at=None)
    again = client.post(page, {"person": teacher.username, "role": Role.STUDENT_AFFAIRS})
    assert again.status_code == 200 and teacher.username in again.context["form"].errors["role"][0]
    response = client.post(reverse("people:role_revoke", args=[kit.school.code, grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    # The granted teacher saw the school while the role was held; now the staff record keeps it.
    client.force_login(teacher)
    assert client.get("/").status_code == 302


def test_college_teacher_grants_a_class_secretary(client, kit):
    college_league = kit.user(role=Role.COLLEGE_LEAGUE)
    client.force_login(college_league)
    student_user = get_user_model().objects.create_user("2001001", password="x", first_name="陈")
    kit.student(user=student_user, student_no="2001001")
    page = urls(kit)["roles"]
    assert [c.number for c in client.get(page, {"q": "2001"}).context["candidates"]] == ["2001001"]
    form = client.get(page).context["form"]
    assert set(dict(form.fields["role"].choices)) == {
        Role.COLLEGE_LEAGUE,
        Role.COLLEGE_PARTY,
        Role.LEAGUE_BRANCH,
    }
    response = client.post(
        page, {"person": "2001001", "role": Role.LEAGUE_BRANCH, "class_name": kit.class_group.name}
    )
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=student_user, class_group=kit.class_group).exists()
    _, other_class = second_college(kit)
    assert list(client.get(page).context["class_names"]) == [kit.class_group.name]
    response = client.post(
        page, {"person": "2001001", "role": Role.LEAGUE_BRANCH, "class_name": other_class.name}
    )
    assert response.status_code == 403
    response = client.post(page, {"person": "2001001", "role": Role.SCHOOL_LEAGUE})
    assert response.status_code == 200 and response.context["form"].errors["role"]


def test_grant_to_someone_without_login_names_the_field(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    student = kit.student()
    response = client.post(
        urls(kit)["roles"], {"person": student.student_no, "role": Role.SCHOOL_PARTY}
    )
    assert response.status_code == 200
    assert student.student_no in response.context["form"].errors["person"][0]


# -- accounts --------------------------------------------------------------------------------


def test_create_logins_downloads_one_sheet_per_class(client, kit):
    _, other_class = second_college(kit)
    kit.student(name="=HYPERLINK(1)")
    kit.student()
    kit.student(college=other_class.college, major=other_class.major, class_group=other_class)
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(
        reverse("people:accounts_create", args=[kit.school.code]), {"people": "students"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["软件2001", "机电2001"]
    sheet = book["软件2001"]
    header = [c.value for c in sheet[2]]
    assert header == ["学号", "姓名", "班级", "用户名", "初始密码"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 2
    formula_cell = sheet.cell(row=3, column=2)
    assert formula_cell.value == "=HYPERLINK(1)" and formula_cell.data_type == "s"
    number, _name, _class, username, password = rows[0]
    assert username == number
    user = get_user_model().objects.get(username=username)
    assert user.check_password(password)
    assert Student.objects.get(student_no=number).user == user
    # Nothing left to create: the page says so instead of an empty workbook.
    again = client.post(
        reverse("people:accounts_create", args=[kit.school.code]), {"people": "students"}
    )
    assert again.status_code == 400
    assert "3" in str(again.context["create_form"].non_field_errors())


def test_college_league_creates_for_its_college_only(client, kit):
    other_college, other_class = second_college(kit)
    kit.student(college=other_college, major=other_class.major, class_group=other_class)
    kit.student()
    client.force_login(kit.user(role=Role.COLLEGE_LEAGUE))
    url = reverse("people:accounts_create", args=[kit.school.code])
    response = client.post(url, {"people": "students", "college": other_college.pk})
    assert response.status_code == 400  # not a choice in its form
    response = client.post(url, {"people": "staff"})
    assert response.status_code == 400
    response = client.post(url, {"people": "students", "college": kit.college.pk})
    assert response.status_code == 200
    assert get_user_model().objects.filter(student__college=kit.college).count() == 1
    assert not Student.objects.filter(college=other_college, user__isnull=False).exists()


def test_reset_shows_the_password_once_and_forces_a_change(client, kit):
    user = kit.user(student=True)
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(
        reverse("people:account_reset", args=[kit.school.code]), {"reset-username": user.username}
    )
    assert response.status_code == 200
    password = response.context["reset_done"]["password"]
    assert password in response.content.decode()
    assert password not in client.get(urls(kit)["accounts"]).content.decode()
    client.logout()
    assert client.login(username=user.username, password=password)
    assert client.get("/").url == reverse("password_change")


def test_reset_of_unknown_user_names_the_field(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(
        reverse("people:account_reset", args=[kit.school.code]), {"reset-username": "nobody"}
    )
    assert response.status_code == 400
    assert "nobody" in response.context["reset_form"].errors["username"][0]


def test_link_on_the_page_refuses_a_linked_record(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    user = get_user_model().objects.create_user("teacher-x", password="x")
    person = StaffPerson.objects.create(school=kit.school, staff_no="T5", name="甲", unit="教务处")
    url = reverse("people:account_link", args=[kit.school.code])
    response = client.post(url, {"link-username": "teacher-x", "link-number": "T5"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == user
    get_user_model().objects.create_user("teacher-y", password="x")
    response = client.post(url, {"link-username": "teacher-y", "link-number": "T5"})
    assert response.status_code == 400
    assert "甲" in response.context["link_form"].errors["number"][0]


# -- first login -----------------------------------------------------------------------------


def test_first_login_must_change_the_password(client, kit):
    student = kit.student()
    result = accounts.accounts_create(actor=None, school=kit.school, people="students")
    login = result.logins[0]
    assert client.login(username=login.username, password=login.password)
    for path in ("/", reverse("org:school_home", args=[kit.school.code]), "/account/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == reverse("password_change"), path
    assert client.get("/api/v1/me").status_code == 403
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and page.context["forced"]
    bad = client.post(
        reverse("password_change"),
        {"old_password": login.password, "new_password1": "short", "new_password2": "short"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    response = client.post(
        reverse("password_change"),
        {
            "old_password": login.password,
            "new_password1": "Green-Tea-2031",
            "new_password2": "Green-Tea-2031",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("org:school_home", args=[kit.school.code])).status_code == 200
    assert not AccountState.objects.get(user__username=student.student_no).must_change_password
    event = AuditEvent.objects.get(action="org.account.password_changed")
    assert event.actor.username == student.student_no


# -- reset by e-mail -------------------------------------------------------------------------


def test_email_reset_only_when_mail_is_configured(client, kit, settings):
    settings.EMAIL_HOST = ""
    assert client.get(reverse("password_reset")).status_code == 404
    assert reverse("password_reset") not in client.get(reverse("login")).content.decode()


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_email_reset_is_sent_by_the_worker_not_the_request(
    client, kit, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_HOST = "smtp.example.edu.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff_user(kit, email="zhou@example.edu.cn")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "zhou@example.edu.cn"})
    assert response.status_code == 302
    assert mail.outbox == []  # the request only queued it
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "tuanxue.core.notify.send_mail_task"
    assert queued.args_kwargs["args"][2] == ["zhou@example.edu.cn"]


def test_email_reset_uses_the_staff_email(
    client, kit, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.edu.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = IMMEDIATE
    teacher = staff_user(kit, email="zhou@example.edu.cn")
    AccountState.objects.create(user=teacher, must_change_password=True, reason="reset")
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "ZHOU@example.edu.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhou@example.edu.cn"]
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Blue-River-2077", "new_password2": "Blue-River-2077"},
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("Blue-River-2077")
    assert not AccountState.objects.get(user=teacher).must_change_password
    assert AuditEvent.objects.filter(action="org.account.password_email_reset").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nobody@example.edu.cn"})
    assert len(mail.outbox) == 1


def test_people_link_in_the_menu_for_offices_only(client, kit):
    roles_url = reverse("people:roles", args=[kit.school.code])
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    home = reverse("org:school_home", args=[kit.school.code])
    assert roles_url in client.get(home).content.decode()
    client.force_login(kit.user(student=True))
    assert roles_url not in client.get(home).content.decode()


def test_password_page_needs_a_login_and_is_open_to_everyone_logged_in(client, kit):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(kit.user(student=True))
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and not page.context["forced"]


def test_api_with_a_token_is_not_held_back(client, kit):
    from tuanxue.core.api import tokens

    kit.student()
    result = accounts.accounts_create(actor=None, school=kit.school, people="students")
    user = get_user_model().objects.get(username=result.logins[0].username)
    _token, key = tokens.token_create(actor=None, user=user, name="timetable")
    response = client.get("/api/v1/schools", headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert [s["code"] for s in response.json()] == [kit.school.code]
    # With a session instead, the API waits for the new password.
    client.login(username=user.username, password=result.logins[0].password)
    assert client.get("/api/v1/schools").status_code == 403


def test_class_of_another_college_is_named_on_the_field(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    student_user = get_user_model().objects.create_user("s9", password="x")
    kit.student(user=student_user)
    _, other_class = second_college(kit)
    response = client.post(
        urls(kit)["roles"],
        {
            "person": "s9",
            "role": Role.LEAGUE_BRANCH,
            "college": kit.college.pk,
            "class_name": other_class.name,
        },
    )
    assert response.status_code == 200
    assert other_class.name in response.context["form"].errors["class_name"][0]
    assert not RoleGrant.objects.filter(user=student_user).exists()


def test_staff_import_on_the_upload_page(client, kit, settings, tmp_path):
    from tests.builders.org import write_xlsx
    from tuanxue.org.models import ImportJob, ImportStatus

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(kit.user(role=Role.STUDENT_AFFAIRS))
    path = write_xlsx(
        tmp_path / "staff.xlsx",
        ["工号", "姓名", "部门", "手机", "邮箱"],
        [["T1", "刘老师", "校团委", "13800000001", "liu@example.edu.cn"]],
    )
    imports = reverse("org:imports", args=[kit.school.code])
    assert "工号" in client.get(imports).content.decode()
    with open(path, "rb") as handle:
        response = client.post(imports, {"kind": "staff", "file": handle})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.PREVIEWED
    detail = client.get(reverse("org:import_detail", args=[kit.school.code, job.pk]))
    from tuanxue.org.imports.views import COUNT_LABELS

    keys = ("staff_created", "staff_updated", "staff_unchanged")
    assert detail.context["counts"] == [
        (COUNT_LABELS[k], n) for k, n in zip(keys, (1, 0, 0), strict=True)
    ]
    client.post(reverse("org:import_confirm", args=[kit.school.code, job.pk]))
    assert StaffPerson.objects.get(staff_no="T1").email == "liu@example.edu.cn"


@pytest.mark.parametrize("role", [None, Role.STUDENT_AFFAIRS, Role.COLLEGE_PARTY])
def test_read_only_roles_cannot_revoke_or_edit_staff(client, kit, role):
    grant = RoleGrant.objects.create(
        user=staff_user(kit), role=Role.SCHOOL_PARTY, school=kit.school
    )
    person = StaffPerson.objects.create(school=kit.school, staff_no="T1", name="甲", unit="教务处")
    client.force_login(kit.user(role=role) if role else kit.user(student=True))
    revoke = reverse("people:role_revoke", args=[kit.school.code, grant.pk])
    assert client.post(revoke).status_code == 403
    edit = reverse("people:staff_edit", args=[kit.school.code, person.pk])
    expected = 200 if role == Role.STUDENT_AFFAIRS else 403
    assert client.get(edit).status_code == expected
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_college_league_cannot_revoke_a_school_role(client, kit):
    grant = RoleGrant.objects.create(
        user=staff_user(kit), role=Role.SCHOOL_PARTY, school=kit.school
    )
    client.force_login(kit.user(role=Role.COLLEGE_LEAGUE))
    revoke = reverse("people:role_revoke", args=[kit.school.code, grant.pk])
    assert client.post(revoke).status_code == 403


def test_roles_list_has_bounded_queries(client, kit, django_assert_max_num_queries):
    for n in range(15):
        user = staff_user(kit, name=f"老师{n}")
        RoleGrant.objects.create(
            user=user, role=Role.COLLEGE_PARTY, school=kit.school, college=kit.college
        )
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    with django_assert_max_num_queries(14):
        response = client.get(urls(kit)["roles"])
    assert response.status_code == 200 and len(response.context["rows"]) == 16


def test_a_very_large_run_is_sent_to_the_command(client, kit, settings):
    settings.ACCOUNTS_PAGE_LIMIT = 2
    for _ in range(3):
        kit.student()
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    url = reverse("people:accounts_create", args=[kit.school.code])
    response = client.post(url, {"people": "students"})
    assert response.status_code == 400
    assert "tuanxue accounts create" in response.context["create_form"].errors["college"][0]
    assert not Student.objects.filter(user__isnull=False).exists()
