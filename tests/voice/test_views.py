"""Student voice pages: for every view the allowed role, a read-only role and an outsider
(404 for may-not-see, 403 for may-see-not-change); forms that refuse bad input; and no
confidential identity on any page the department or the public can reach."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.builders.voice import (
    answer,
    as_user,
    submit,
)
from tuanxue.org.models import Role
from tuanxue.voice import moderation, services
from tuanxue.voice.models import (
    AbuseReport,
    Closure,
    Demand,
    DemandStatus,
    IdentityReveal,
    VoicePolicy,
)


def url(w, name, *args):
    return reverse(f"voice:{name}", args=[w.school.code, *args])


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 0)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def v(w, other_kit):
    w.demand = submit(w, photos=[SimpleUploadedFile("p.png", png())])
    w.outsider = other_kit.user("outsider", role=Role.SCHOOL_LEAGUE)
    return w


def status_of(client, user, path, method="get", data=None):
    as_user(client, user)
    response = getattr(client, method)(path, data or {})
    return response.status_code


@pytest.mark.parametrize(
    ("name", "allowed", "read_only", "expect_read_only"),
    [
        ("submit", "student_user", "jiaowu_user", 403),
        ("mine", "student_user", "party", 403),
        ("desk", "member_user", "student_user", 403),
        ("queue", "jiaowu_user", "student_user", 403),
        ("officer", "officer", "jiaowu_user", 403),
        ("reception_new", "league", "party", 403),
    ],
)
def test_school_pages(client, v, name, allowed, read_only, expect_read_only):
    path = url(v, name)
    assert status_of(client, getattr(v, allowed), path) == 200
    assert status_of(client, getattr(v, read_only), path) == expect_read_only
    assert status_of(client, v.outsider, path) == 404
    as_user(client, None)
    assert client.get(path).status_code == 302  # to the login page


def test_oversight_reads_every_demand_without_acting(client, v):
    assert status_of(client, v.party, url(v, "officer")) == 200
    assert status_of(client, v.party, url(v, "demand", v.demand.pk)) == 200
    data = {"answer": "已处理完毕。", "closure": "resolved"}
    assert status_of(client, v.party, url(v, "answer", v.demand.pk), "post", data) == 403


def test_demand_page_visibility(client, v):
    path = url(v, "demand", v.demand.pk)
    for user in (v.student_user, v.jiaowu_user, v.officer, v.league, v.party):
        assert status_of(client, user, path) == 200, user
    for user in (v.other_user, v.houqin_user, v.member_user, v.outsider, v.xuegong_user):
        assert status_of(client, user, path) == 404, user
    photo = v.demand.photos.get()
    assert status_of(client, v.student_user, url(v, "photo", v.demand.pk, photo.pk)) == 200
    assert status_of(client, v.other_user, url(v, "photo", v.demand.pk, photo.pk)) == 404
    as_user(client, None)
    assert client.get(url(v, "photo", v.demand.pk, photo.pk)).status_code == 302


@pytest.mark.parametrize(
    ("action", "data", "allowed", "refused"),
    [
        (
            "answer",
            {"answer": "考试周延长到23点。", "closure": "resolved"},
            "jiaowu_user",
            "student_user",
        ),
        ("forward", {"department": "houqin", "reason": "归后勤"}, "jiaowu_user", "student_user"),
        ("merge", {"into": "other"}, "jiaowu_user", "student_user"),
        ("report", {"reason": "内容不当"}, "jiaowu_user", "student_user"),
        ("reveal", {"reason": "回访需要"}, "officer", "league"),
    ],
)
def test_demand_actions(client, v, action, data, allowed, refused):
    if data.get("department") == "houqin":
        data = {**data, "department": v.houqin.pk}
    if data.get("into") == "other":
        other = submit(v, user=v.other_user, title="同样的问题")
        data = {"into": other.reference}
    if action == "reveal":
        Demand.objects.filter(pk=v.demand.pk).update(confidential=True)
    path = url(v, action, v.demand.pk)
    assert status_of(client, getattr(v, refused), path, "post", data) == 403
    assert status_of(client, v.outsider, path, "post", data) == 404
    assert status_of(client, v.houqin_user, path, "post", data) == 404
    assert status_of(client, getattr(v, allowed), path, "post", data) in (200, 302)


def test_rate_and_reopen_by_the_student_only(client, v):
    answer(v, v.demand)
    rate = url(v, "rate", v.demand.pk)
    assert status_of(client, v.jiaowu_user, rate, "post", {"rating": 5}) == 403
    assert status_of(client, v.other_user, rate, "post", {"rating": 5}) == 404
    assert status_of(client, v.student_user, rate, "post", {"rating": 9}) == 400
    assert status_of(client, v.student_user, rate, "post", {"rating": 5}) == 302
    reopen = url(v, "reopen", v.demand.pk)
    assert status_of(client, v.jiaowu_user, reopen, "post", {"reason": "没解决"}) == 403
    assert status_of(client, v.student_user, reopen, "post", {"reason": "没解决"}) == 302
    v.demand.refresh_from_db()
    assert v.demand.status == DemandStatus.OPEN and v.demand.rating is None


def test_abuse_decision_page(client, v):
    report = moderation.abuse_report(actor=v.jiaowu_user, demand=v.demand, reason="辱骂内容")
    path = url(v, "abuse_decide", report.pk)
    data = {"uphold": "0", "note": ""}
    assert status_of(client, v.party, path, "post", data) == 403
    assert status_of(client, v.jiaowu_user, path, "post", data) == 404
    assert status_of(client, v.outsider, path, "post", data) == 404
    assert status_of(client, v.league, path, "post", data) == 302
    report.refresh_from_db()
    assert report.status == "dismissed"


def test_submit_form_refuses_html_and_changes_nothing(client, v):
    as_user(client, v.student_user)
    before = Demand.objects.count()
    response = client.post(
        url(v, "submit"),
        {"category": v.academic.pk, "title": "<b>标题</b>", "text": "一二三四五六七八九十"},
    )
    assert response.status_code == 200
    assert "HTML" in response.content.decode()
    assert Demand.objects.count() == before


def test_desk_records_and_lists_what_i_recorded(client, v):
    as_user(client, v.member_user)
    response = client.post(
        url(v, "desk"),
        {
            "reception_day": v.reception.pk,
            "student_no": "",
            "category": v.rights.pk,
            "title": "宿舍热水经常中断",
            "text": "晚上九点后热水中断，请后勤处检修。",
        },
    )
    assert response.status_code == 302
    demand = Demand.objects.get(title="宿舍热水经常中断")
    assert demand.student is None and demand.recorded_by == v.member_user
    page = client.get(url(v, "desk")).content.decode()
    assert demand.reference in page


def test_public_pages(client, v):
    as_user(client, None)
    assert client.get(url(v, "board")).status_code == 200
    assert client.get(url(v, "reception")).status_code == 200
    assert client.get(reverse("voice:board", args=["nope"])).status_code == 404


def test_department_sees_a_non_confidential_student(client, v):
    as_user(client, v.jiaowu_user)
    page = client.get(url(v, "demand", v.demand.pk)).content.decode()
    assert v.student.student_no in page


# -- confidentiality -------------------------------------------------------------------------


@pytest.fixture
def secret(v):
    """A student's confidential demands in every state a department or the public meets: open
    and escalated, answered and rated (so on the board), merged (the student became a
    supporter of another demand), forwarded, reported."""
    VoicePolicy.objects.filter(school=v.school).update(daily_limit=10)
    user = v.kit.user("secretstu", student=True)
    v.secret_student = user.student
    v.secret_student.name = "机密同学乙"
    v.secret_student.student_no = "20207777"
    v.secret_student.save()
    v.secret_user = user
    secret = submit(v, user=user, confidential=True, title="保密诉求：宿舍问题")
    Demand.objects.filter(pk=secret.pk).update(escalation=2)
    answered = submit(v, user=user, confidential=True, title="保密诉求：已答复")
    answer(v, answered, closure=Closure.EXPLAINED)
    services.demand_rate(actor=user, demand=answered, rating=3)
    dup = submit(v, user=user, confidential=True, title="保密诉求：重复")
    services.demand_merge(actor=v.jiaowu_user, duplicate=dup, into=v.demand)
    answer(v, v.demand)  # the supporters are told of the answer
    secret = services.demand_forward(
        actor=v.jiaowu_user, demand=secret, department=v.houqin, reason="归后勤处"
    )
    moderation.abuse_report(actor=v.houqin_user, demand=secret, reason="核实内容")
    desk = services.demand_record(
        actor=v.member_user,
        reception_day=v.reception,
        category=v.rights,
        student_no=v.secret_student.student_no,
        title="保密诉求：接待台登记",
        text="在接待台当面反映的保密诉求内容。",
        confidential=True,
    )
    return [secret, answered, dup, desk]


def response_text(response) -> str:
    """A page's HTML, or every cell of a spreadsheet."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        )
    return response.content.decode()


def reachable_pages(v, secrets):
    pages = [
        url(v, "board"),
        url(v, "board") + "?page=1",
        url(v, "reception"),
        url(v, "queue"),
        url(v, "queue_export"),
        url(v, "mine"),
        url(v, "desk"),
        url(v, "officer"),
        reverse("core:notifications"),
    ]
    for d in [*secrets, v.demand]:
        pages.append(url(v, "demand", d.pk))
    return pages


def test_confidential_identity_appears_nowhere_the_department_or_public_can_reach(
    client, v, secret
):
    needles = [v.secret_student.name, v.secret_student.student_no]
    users = [
        None,
        v.jiaowu_user,
        v.houqin_user,
        v.xuegong_user,
        v.leader_user,
        v.league,
        v.party,
        v.member_user,  # the union staff member who recorded one of them at the desk
    ]
    checked = 0
    for user in users:
        as_user(client, user)
        for path in reachable_pages(v, secret):
            response = client.get(path)
            if response.status_code != 200:
                continue
            body = response_text(response)
            for needle in needles:
                assert needle not in body, (user, path, needle)
            checked += 1
    assert checked >= 40
    # The officer sees it only after a reveal, with the reason recorded.
    as_user(client, v.officer)
    path = url(v, "demand", secret[0].pk)
    number = v.secret_student.student_no
    assert number not in client.get(path).content.decode()
    response = client.post(url(v, "reveal", secret[0].pk), {"reason": "需要当面回访"})
    assert response.status_code == 200 and number in response.content.decode()
    assert IdentityReveal.objects.filter(demand=secret[0], user=v.officer).count() == 1
    assert number not in client.get(path).content.decode()
    # The student sees their own name.
    as_user(client, v.secret_user)
    assert number in client.get(path).content.decode()
    assert AbuseReport.objects.count() == 1


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_do_not_grow_queries_with_rows(client, v):
    VoicePolicy.objects.filter(school=v.school).update(daily_limit=50)
    pages = {
        v.jiaowu_user: [url(v, "queue")],
        v.officer: [url(v, "officer")],
        v.student_user: [url(v, "mine")],
        None: [url(v, "board"), url(v, "reception")],
    }

    def counts():
        out = {}
        for user, paths in pages.items():
            as_user(client, user)
            for path in paths:
                out[path] = _queries(client, path)
        return out

    answer(v, submit(v, title="第一批诉求"))
    before = counts()
    for number in range(6):
        demand = submit(v, title=f"更多诉求{number}")
        if number % 2:
            answer(v, demand)
    assert counts() == before


def test_queue_export_is_a_real_spreadsheet_with_formulas_as_text(client, v):
    risky = submit(v, user=v.other_user, title="=1+2 图书馆座位")
    secret = submit(v, confidential=True, title="保密的导出测试")
    path = url(v, "queue_export")
    assert status_of(client, v.student_user, path) == 403
    assert status_of(client, v.outsider, path) == 404
    as_user(client, v.jiaowu_user)
    response = client.get(path)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert sheet.cell(row=1, column=14).value == "学号"
    assert rows[v.demand.reference][13] == v.student.student_no
    assert rows[secret.reference][12] is None and rows[secret.reference][13] is None
    cell = next(c for c in sheet["B"] if c.value == "=1+2 图书馆座位")
    assert cell.data_type == "s"
    assert rows[risky.reference][13] == v.other.student_no


def test_acting_on_a_demand_in_the_wrong_state_is_a_message_not_a_refusal(client, v):
    answer(v, v.demand)
    as_user(client, v.jiaowu_user)
    data = {"answer": "再答复一次。", "closure": "resolved"}
    response = client.post(url(v, "answer", v.demand.pk), data)
    assert response.status_code == 400
    assert "不在待答复状态" in response.content.decode()
    response = client.post(
        url(v, "forward", v.demand.pk), {"department": v.houqin.pk, "reason": "转交"}
    )
    assert response.status_code == 400
    v.demand.refresh_from_db()
    assert v.demand.department == v.jiaowu and v.demand.status == DemandStatus.ANSWERED


def test_scheduling_a_reception_day(client, v):
    from tuanxue.org.models import StaffPerson
    from tuanxue.voice.models import ReceptionDay

    teacher = StaffPerson.objects.get(user=v.xuegong_user)
    member = v.reception.members.get()
    as_user(client, v.league)
    data = {
        "date": "2020-10-14",
        "starts": "14:00",
        "ends": "17:00",
        "place": "图书馆一楼大厅",
        "campus": "白云校区",
        "members": member.student_no,
        "teachers": f"{teacher.staff_no} NOPE",
    }
    response = client.post(url(v, "reception_new"), data)
    assert response.status_code == 200 and "NOPE" in response.content.decode()
    assert ReceptionDay.objects.count() == 1
    data["teachers"] = teacher.staff_no
    assert client.post(url(v, "reception_new"), data).status_code == 302
    day = ReceptionDay.objects.get(place="图书馆一楼大厅")
    assert list(day.teachers.all()) == [teacher] and list(day.members.all()) == [member]
    as_user(client, None)
    page = client.get(url(v, "reception")).content.decode()
    assert "图书馆一楼大厅" in page and teacher.name in page
    assert member.name not in page and member.student_no not in page


def test_officers_see_the_demands_recorded_at_a_reception_day(client, v):
    recorded = services.demand_record(
        actor=v.member_user,
        reception_day=v.reception,
        category=v.rights,
        title="接待台登记的诉求",
        text="在接待台当面反映的诉求内容。",
    )
    as_user(client, v.officer)
    page = client.get(url(v, "officer") + f"?reception={v.reception.pk}").content.decode()
    assert recorded.reference in page and v.demand.reference not in page
    calendar = client.get(url(v, "reception")).content.decode()
    assert f"?reception={v.reception.pk}" in calendar
    as_user(client, None)
    assert f"?reception={v.reception.pk}" not in client.get(url(v, "reception")).content.decode()


def test_pages_in_english(client, v):
    from django.conf import settings as django_settings

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    answer(v, v.demand)
    checks = [
        (None, url(v, "board"), "Median time to first answer"),
        (None, url(v, "reception"), "Teachers on duty"),
        (v.student_user, url(v, "demand", v.demand.pk), "How satisfied are you with the answer?"),
        (v.student_user, url(v, "submit"), "What is the problem, and what would help?"),
        (v.member_user, url(v, "desk"), "Recorded by me"),
        (v.jiaowu_user, url(v, "queue"), "Download as Excel"),
        (v.league, url(v, "settings"), "Voice officers"),
    ]
    for user, path, text in checks:
        as_user(client, user)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(path)
        assert response.status_code == 200 and text in response.content.decode(), path
