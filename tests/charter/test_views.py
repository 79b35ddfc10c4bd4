"""Charter pages: who may open each, what they show, and the documents they hand out."""

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.builders.charter import DAY, build_school
from tuanxue.charter import services as charter_services
from tuanxue.charter.models import Assessment
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role

QUERY = {"date": DAY.isoformat()}
OFFICES = [Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS, Role.SCHOOL_PARTY]


@pytest.fixture
def school(kit):
    return build_school(kit)


def url(name, kit, *args):
    return reverse(f"charter:{name}", args=[kit.school.code, *args])


def login(client, user):
    client.force_login(user)
    return client


# -- compliance ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*OFFICES, Role.COLLEGE_LEAGUE, None])
def test_compliance_is_open_to_every_user_of_the_school(client, school, role):
    login(client, school.user(role=role, student=role is None))
    response = client.get(url("compliance", school), QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    # The charter version and the day it was checked on.
    assert "2020年修改版" in body and "2020-10-15" in body
    # The members behind a figure, linked to their cards.
    chair = school.people["chair"]
    assert reverse("org:student", args=[school.school.code, chair.pk]) in body
    assert chair.name in body
    assert 'data-figure="staff_total">6<' in body
    # The college union has no staff, so the seed charter's 20-30 is broken there.
    assert 'class="tag red"' in body and 'class="tag green"' in body


def test_compliance_outsiders_and_anonymous(client, school, other_kit):
    target = url("compliance", school)
    response = client.get(target)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    login(client, other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(target).status_code == 404


def test_federation_sees_every_school(client, school, other_kit):
    login(client, school.user(role=Role.FEDERATION))
    assert client.get(url("compliance", school)).status_code == 200
    assert client.get(url("compliance", other_kit)).status_code == 200
    assert client.get(url("assessment", other_kit)).status_code == 200


def test_compliance_without_a_charter_explains_what_to_do(client, kit):
    build_school(kit, charter=False)
    login(client, kit.user(role=Role.SCHOOL_LEAGUE))
    response = client.get(url("compliance", kit), QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="empty"' in body
    assert "League committee must first adopt" in body or "团委" in body


@pytest.mark.parametrize("bad", ["2020-13-01", "yesterday", "2020-1-5", "99999-01-01"])
def test_a_bad_date_gets_a_clear_message(client, school, bad):
    login(client, school.user(role=Role.SCHOOL_LEAGUE))
    for name in ("compliance", "assessment"):
        response = client.get(url(name, school), {"date": bad})
        assert response.status_code == 400
        assert bad in response.content.decode()
        assert 'role="alert"' in response.content.decode()
    response = client.get(url("assessment_docx", school), {"date": bad})
    assert response.status_code == 400
    assert bad in response.content.decode()


# -- self-assessment -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*OFFICES, Role.FEDERATION])
def test_assessment_for_the_offices(client, school, role):
    login(client, school.user(role=role))
    response = client.get(url("assessment", school), QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-figure="staff_total">6<' in body
    assert 'data-figure="presidium_size">2<' in body
    assert 'data-figure="department_count">2<' in body
    assert "33.33%" in body
    assert 'data-figure="congress_delegates">3<' in body
    for name in ("assessment_docx", "assessment_pdf", "assessment_xlsx"):
        assert url(name, school) in body
    # Evidence links point into the registry.
    assert reverse("org:union", args=[school.school.code, school.school_union.pk]) in body


@pytest.mark.parametrize("role", [None, Role.COLLEGE_LEAGUE, Role.LEAGUE_BRANCH])
def test_assessment_is_forbidden_to_others_of_the_school(client, school, role):
    login(client, school.user(role=role, student=role is None))
    for name in ("assessment", "assessment_docx", "assessment_pdf", "assessment_xlsx"):
        assert client.get(url(name, school)).status_code == 403, name


def test_assessment_outsiders_and_anonymous(client, school, other_kit):
    names = ("assessment", "assessment_docx", "assessment_pdf", "assessment_xlsx")
    for name in names:
        response = client.get(url(name, school))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    login(client, other_kit.user(role=Role.SCHOOL_LEAGUE))
    for name in names:
        assert client.get(url(name, school)).status_code == 404, name


def test_assessment_without_a_charter(client, kit):
    build_school(kit, charter=False)
    login(client, kit.user(role=Role.SCHOOL_LEAGUE))
    body = client.get(url("assessment", kit), QUERY).content.decode()
    assert 'class="empty"' in body
    assert 'class="tag red"' in body


def test_word_download(client, school):
    login(client, school.user(role=Role.STUDENT_AFFAIRS))
    response = client.get(url("assessment_docx", school), QUERY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response["Content-Disposition"]
    assert ".docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "测试职业技术学院学生会深化改革自评报告" in text
    assert "当前我校学生会总人数为6人" in text
    assert "学生会坚持从学生中来、到学生中去。" in text


def test_pdf_download(client, school):
    login(client, school.user(role=Role.SCHOOL_PARTY))
    response = client.get(url("assessment_pdf", school), QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert ".pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "测试职业技术学院" in text


def test_excel_download(client, school):
    login(client, school.user(role=Role.SCHOOL_LEAGUE))
    response = client.get(url("assessment_xlsx", school), QUERY)
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(("序号", "类别", "验收项目", "实际情况", "标准", "自评结论", "依据"))
    codes = [r[0] for r in rows[header + 1 :] if r[0] and r[0].isdigit()]
    assert codes == [str(n) for n in range(1, 15)]
    by_code = {r[0]: r for r in rows[header + 1 :] if r[0]}
    assert by_code["3"][3] == "工作人员6人；主席团2人；工作部门2个"


# -- narrative editing -----------------------------------------------------------------------


def form_data(**extra):
    data = {
        "assessed_on": "2020-10-20",
        "narrative_functions": "学生会是学校联系广大学生的桥梁和纽带。",
        "narrative_review": "每学期组建以学生代表为主的评议会。",
        "published": "on",
    }
    data.update(extra)
    return data


def test_the_league_committee_edits_the_narrative(client, school):
    user = school.user(role=Role.SCHOOL_LEAGUE)
    login(client, user)
    target = url("assessment_edit", school, 2020)
    page = client.get(target)
    assert page.status_code == 200
    body = page.content.decode()
    # The saved narrative is there to edit, and the generated figures are shown beside it.
    assert "通过“学生接待日”听取同学需求。" in body
    assert "当前我校学生会总人数为6人" in body
    before = AuditEvent.objects.filter(action="charter.assessment.saved").count()
    response = client.post(target, form_data())
    assert response.status_code == 302
    assert response.url == url("assessment", school) + "?date=2020-10-20"
    record = Assessment.objects.get(school=school.school, year=2020)
    assert record.assessed_on == dt.date(2020, 10, 20)
    assert record.narrative == {
        "functions": "学生会是学校联系广大学生的桥梁和纽带。",
        "review": "每学期组建以学生代表为主的评议会。",
    }
    assert record.published is True
    events = AuditEvent.objects.filter(action="charter.assessment.saved")
    assert events.count() == before + 1
    assert events.order_by("-id").first().actor == user
    # The new narrative goes into the next document.
    document = client.get(url("assessment_docx", school), {"date": "2020-10-20"})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(document.content)).paragraphs)
    assert "每学期组建以学生代表为主的评议会。" in text


def test_a_new_year_can_be_started(client, school):
    login(client, school.user(role=Role.SCHOOL_LEAGUE))
    target = url("assessment_edit", school, 2021)
    assert client.get(target).status_code == 200
    response = client.post(target, form_data(assessed_on="2021-06-30", published=""))
    assert response.status_code == 302
    record = Assessment.objects.get(school=school.school, year=2021)
    assert record.published is False


def test_a_date_outside_the_year_is_refused(client, school):
    login(client, school.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(
        url("assessment_edit", school, 2020), form_data(assessed_on="2019-05-01")
    )
    assert response.status_code == 200
    assert "2020" in response.content.decode()
    assert Assessment.objects.get(school=school.school, year=2020).assessed_on == DAY


def test_a_refusal_from_the_service_is_shown(client, school, monkeypatch):
    def refuse(**kwargs):
        raise DomainError("只有校团委可以保存自评。", code="forbidden")

    monkeypatch.setattr("tuanxue.charter.views.assessment_save", refuse)
    login(client, school.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(url("assessment_edit", school, 2020), form_data())
    assert response.status_code == 200
    assert "只有校团委可以保存自评。" in response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.STUDENT_AFFAIRS, Role.SCHOOL_PARTY, Role.FEDERATION, Role.COLLEGE_LEAGUE, None]
)
def test_only_the_league_committee_may_edit(client, school, role):
    login(client, school.user(role=role, student=role is None))
    target = url("assessment_edit", school, 2020)
    assert client.get(target).status_code == 403
    assert client.post(target, form_data()).status_code == 403
    assert Assessment.objects.get(school=school.school, year=2020).published is False


def test_edit_outsiders_and_anonymous(client, school, other_kit):
    target = url("assessment_edit", school, 2020)
    response = client.get(target)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    login(client, other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(target).status_code == 404
    assert client.post(target, form_data()).status_code == 404


# -- public table ----------------------------------------------------------------------------


def publish(kit, published=True):
    record = Assessment.objects.get(school=kit.school, year=2020)
    charter_services.assessment_save(
        actor=None,
        school=kit.school,
        year=2020,
        assessed_on=record.assessed_on,
        narrative=record.narrative,
        published=published,
    )


def test_public_table_is_hidden_until_published(client, school):
    target = url("public_table", school, 2020)
    assert client.get(target).status_code == 404
    assert client.get(url("public_table", school, 2019)).status_code == 404
    publish(school)
    response = client.get(target)
    assert response.status_code == 200
    body = response.content.decode()
    assert "工作人员总数、主席团成员数、工作部门数符合规定" in body
    assert "核心项" in body and "观测项" in body
    # No names and no links into the registry.
    for student in school.people.values():
        assert student.name not in body
    assert "/students/" not in body
    publish(school, published=False)
    assert client.get(target).status_code == 404


def test_public_table_of_an_unknown_school(client, db):
    assert client.get(reverse("charter:public_table", args=["nope", 2020])).status_code == 404


def test_compliance_page_shows_when_the_next_congress_is_due(client, db):
    from tuanxue.core.models import School
    from tuanxue.demo.org import build_demo

    build_demo()
    school = School.objects.get(code="gdgm")
    from tuanxue.org.models import Role

    client.force_login(school.role_grants.filter(role=Role.SCHOOL_LEAGUE).first().user)
    body = client.get("/s/gdgm/compliance/?date=2020-09-30").content.decode()
    assert "2021-08-25" in body and 'id="next-congress"' in body


def test_compliance_names_people_breaking_a_personal_rule_only_to_two_offices(client, kit):
    """Who breaks the political-status rule reveals their political status: the League
    committee and Student Affairs see names, everyone else a count."""
    from tuanxue.org.models import PoliticalStatus

    kit.adopt_seed_charter()
    department = kit.department()
    from tuanxue.org import services as org_services

    masses = kit.good_student(name="群众甲", political_status=PoliticalStatus.MASSES)
    org_services.membership_create(  # a post loaded from before the charter
        actor=None,
        body=department,
        student=masses,
        title="staff",
        start=dt.date(2020, 9, 1),
        enforce_charter=False,
    )
    target = url("compliance", kit)

    def political_row(role):
        user = kit.user(role=role, student=role is None)
        body = login(client, user).get(target).content.decode()
        rows = [r for r in body.split("<tr>") if "非党员、团员的工作人员" in r]
        assert rows
        return "".join(rows)

    for role in (Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS):
        assert "群众甲" in political_row(role), role
    for role in (Role.SCHOOL_PARTY, Role.COLLEGE_LEAGUE, None):
        row = political_row(role)
        assert "群众甲" not in row, role
        assert 'class="muted people-count"' in row
