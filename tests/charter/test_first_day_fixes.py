"""Things a new college saw on its first day, each fixed: percentages instead of raw ratios,
limits that read as limits, what each checklist figure counts, evidence behind every pass,
the charter's rules at the write (other standing levels, titles under rotation)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from tests.builders.charter import DAY, build_school
from tuanxue.charter import services as charter_services
from tuanxue.charter.assessment import assess
from tuanxue.charter.rules import SEED_2020
from tuanxue.charter.verdicts import PASS
from tuanxue.core.errors import DomainError
from tuanxue.org import services
from tuanxue.org.models import Department, Role, Title


@pytest.fixture
def school(kit):
    return build_school(kit)


def page(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_structure_page_shows_the_share_as_a_percentage(client, school):
    client.force_login(school.user(role=Role.SCHOOL_LEAGUE))
    body = page(client, "org:structure", school.school.code)
    assert "33.33%" in body  # two of six came from college unions
    assert "0.3333" not in body


def test_charter_table_shows_limits_with_their_sign(client, chartered):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    body = page(client, "charter:versions", chartered.school.code)
    assert "≤ —" not in body
    table = body.split("<table>")[1].split("</table>")[0]
    school_row, college_row = table.split("<tr>")[2:4]
    # School union: staff ≤ 60, presidium ≤ 5, departments ≤ 6, heads ≤ 3, other staff ≤ 6.
    for cap in ("≤ 60", "≤ 5", "≤ 6", "≤ 3"):
        assert f"<td>{cap}</td>" in school_row
    assert "<td>20–30</td>" in college_row and "<td>2–3</td>" in college_row
    # A limit the charter leaves open says so.
    charter_services.charter_adopt(
        actor=None,
        school=chartered.school,
        name="章程",
        version_label="v2",
        effective_from=dt.date(2021, 1, 1),
        rules={"school": {"staff_max": 40}},
    )
    body = page(client, "charter:versions", chartered.school.code)
    assert "≤ —" not in body and "不限" in body


def test_delegate_ratio_is_a_percentage(client, chartered):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    body = page(client, "charter:versions", chartered.school.code)
    assert "占各学院学生的1%" in body
    assert "0.01" not in body


def test_student_list_header_says_name_of_a_person(client, kit):
    kit.student(name="张三")
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    body = page(client, "org:students", kit.school.code)
    header = body.split("<tr>")[1].split("</tr>")[0]
    assert "<th>姓名</th>" in header and "名称" not in header


def test_assessment_items_say_what_they_count(client, school):
    client.force_login(school.user(role=Role.SCHOOL_LEAGUE))
    body = page(client, "charter:assessment", school.school.code, date=DAY.isoformat())

    def item(code):
        return body.split(f'id="item-{code}"')[1].split("</dl>")[0]

    # Item 1: a count of departments, and the limit in words.
    assert "0 个工作部门承担行政职能" in item("1") and "不允许" in item("1")
    # Item 3: figures with units.
    assert "6 人" in item("3") and "≤ 60 人" in item("3") and "≤ 6 个" in item("3")
    # Item 5: what is counted.
    assert "0 名工作人员不是中共党员或共青团员" in item("5")
    # Item 12: rests on the oversight records, none recorded yet.
    assert "分管校领导0人" in item("12") and "一年内专题听取汇报" in item("12")
    # Item 13: guidance not recorded.
    assert "两位老师均已记录" in item("13")


def test_every_passed_item_cites_evidence(client, school):
    report = assess(school.school, DAY)
    academic = next(i for i in report.items if i.code == "6")
    assert academic.status == PASS
    for item in report.items:
        if item.status == PASS:
            assert item.evidence, item.code
    client.force_login(school.user(role=Role.SCHOOL_LEAGUE))
    body = page(client, "charter:assessment", school.school.code, date=DAY.isoformat())
    section = body.split('id="item-6"')[1].split("</dl>")[0]
    assert "尚无记录" not in section
    assert reverse("org:union", args=[school.school.code, school.school_union.pk]) in section


def test_failing_items_link_to_where_the_record_is_kept(client, school):
    client.force_login(school.user(role=Role.STUDENT_AFFAIRS))
    body = page(client, "charter:assessment", school.school.code, date=DAY.isoformat())
    code = school.school.code

    def item(code_):
        return body.split(f'id="item-{code_}"')[1].split('<div class="card item"')[0]

    assert reverse("records:guidance", args=[code]) in item("13")
    assert reverse("oversight:index", args=[code]) in item("12")
    # A passing item has no such link.
    assert reverse("records:congresses", args=[code]) not in item("9")


def test_charter_form_puts_the_political_status_label_above_its_boxes(client, chartered):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    body = page(client, "charter:adopt", chartered.school.code)
    label = body.index("工作人员可具有的政治面貌")
    first_box = body.index('name="political_statuses"')
    assert label < first_box
    assert "<legend" in body[label - 200 : label]


@pytest.mark.parametrize("name", ["学生事务中心", "办公室"])
def test_other_standing_levels_are_refused_at_the_write(chartered, name):
    with translation.override("zh-hans"), pytest.raises(DomainError) as err:
        services.department_create(actor=None, union=chartered.school_union, name=name)
    assert err.value.field == "name"
    assert name in err.value.message and "主席团" in err.value.message
    assert not Department.objects.filter(name=name).exists()


def test_compliance_names_a_standing_level_kept_from_before(client, chartered):
    # Loaded by a legacy import without the charter's check, then flagged with its name.
    services.department_create(
        actor=None, union=chartered.school_union, name="学生事务中心", enforce_charter=False
    )
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    body = page(client, "charter:compliance", chartered.school.code, date="2020-10-15")
    assert "学生事务中心" in body
    report = assess(chartered.school, dt.date(2020, 10, 15))
    item2 = next(i for i in report.items if i.code == "2")
    assert "学生事务中心" in item2.detail


def test_appointment_form_offers_only_the_charters_titles(client, chartered):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    url = reverse("org:membership_new", args=[chartered.school.code, chartered.school_union.pk])
    body = client.get(url).content.decode()
    assert 'value="executive_chair"' in body
    assert 'value="chair"' not in body and 'value="vice_chair"' not in body
    # Under a charter without rotation, the chair is offered and the executive chair is not.
    rules = SEED_2020.to_json() | {"rotation": False}
    charter_services.charter_adopt(
        actor=None,
        school=chartered.school,
        name="章程",
        version_label="v2",
        effective_from=dt.date(2020, 9, 1),
        rules=rules,
    )
    body = client.get(url).content.decode()
    assert 'value="chair"' in body and 'value="executive_chair"' not in body


@pytest.mark.parametrize("role,linked", [(Role.STUDENT_AFFAIRS, True), (Role.SCHOOL_PARTY, False)])
def test_undecided_academic_item_links_to_imports_for_those_who_import(
    client, chartered, role, linked
):
    dept = chartered.department()
    services.membership_create(
        actor=None,
        body=dept,
        student=chartered.student(name="无成绩", grade=2018),
        title=Title.STAFF,
        start=dt.date(2020, 9, 1),
        enforce_charter=False,
    )
    client.force_login(chartered.user(role=role))
    body = page(client, "charter:assessment", chartered.school.code, date="2020-10-15")
    section = body.split('id="item-6"')[1].split('<div class="card item"')[0]
    assert "尚无依据" in section
    assert (reverse("org:imports", args=[chartered.school.code]) in section) is linked


def test_guidance_is_audited_with_the_teachers_names(kit):
    from tuanxue.core.models import AuditEvent
    from tuanxue.org.models import StaffPerson

    teacher = StaffPerson.objects.create(
        school=kit.school, staff_no="T9", name="赵老师", unit="校团委"
    )
    charter_services.guidance_set(actor=None, union=kit.school_union, advisor=teacher)
    event = AuditEvent.objects.get(action="charter.guidance.set")
    assert event.new == {"advisor": "赵老师（T9）", "secretary_general": None}
