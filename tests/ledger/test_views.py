"""The ledger pages: the student's own, certification, corrections and the export."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.chartcheck import bars, figures, svg_title
from tuanxue.ledger import services as ledger
from tuanxue.ledger.models import Certification, CreditCategory, CreditEntry
from tuanxue.org import services as org_services
from tuanxue.org.models import Role


def record(student, amount="3.00", source="1", category=CreditCategory.VOLUNTEER, unit="hours"):
    return ledger.credit_record(
        actor=None,
        student=student,
        category=category,
        amount=Decimal(amount),
        unit=unit,
        source_type="test.source",
        source_id=source,
        source_label=f"志愿服务{source}",
    )


@pytest.fixture
def books(kit):
    kit.pupil = kit.user(student=True)
    kit.mine = record(kit.pupil.student)
    kit.points = record(
        kit.pupil.student, "2", "p", category=CreditCategory.ACTIVITY, unit="points"
    )
    kit.league = kit.user(role=Role.SCHOOL_LEAGUE)
    kit.other_class = org_services.class_group_create(
        actor=None,
        school=kit.school,
        college=kit.college,
        major=kit.major,
        name="软件2002",
        grade=2020,
    )
    kit.neighbour = kit.student(class_group=kit.other_class)
    record(kit.neighbour, "5")
    return kit


def url(name, kit, *args):
    return reverse(f"attendance:{name}", args=[kit.school.code, *args])


def test_a_student_sees_their_ledger_with_totals(client, books):
    client.force_login(books.pupil)
    page = client.get(url("ledger", books))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-entry="{books.mine.pk}"' in body and "志愿服务1" in body
    assert "data-total=" in body and "3.00" in body and "2.00" in body
    own_by_id = client.get(url("ledger_student", books, books.pupil.student.pk))
    assert own_by_id.status_code == 200


def test_corrections_are_shown_under_what_they_correct(client, books):
    correction = ledger.credit_correct(
        actor=books.league, entry=books.mine, amount=Decimal("-0.5"), note="核减半小时"
    )
    client.force_login(books.pupil)
    body = client.get(url("ledger", books)).content.decode()
    assert f'data-corrects="{books.mine.pk}"' in body
    assert body.index(f'data-entry="{books.mine.pk}"') < body.index(f'data-entry="{correction.pk}"')
    assert "核减半小时" in body and "2.50" in body


def test_another_student_cannot_see_a_ledger(client, books, other_kit):
    client.force_login(books.user(student=True))
    assert client.get(url("ledger_student", books, books.pupil.student.pk)).status_code == 404
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url("ledger_student", books, books.pupil.student.pk)).status_code == 404
    assert client.get(url("ledger", books)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, books):
    for name, args in [
        ("ledger", []),
        ("ledger_student", [books.pupil.student.pk]),
        ("ledger_certify", []),
        ("ledger_correct", [books.mine.pk]),
        ("ledger_export", []),
    ]:
        response = client.get(url(name, books, *args))
        assert response.status_code == 302 and "/login/" in response["Location"], name


def test_the_league_committee_certifies_after_confirming(client, books):
    client.force_login(books.league)
    page = client.get(url("ledger_certify", books))
    assert page.status_code == 200 and 'name="entry"' in page.content.decode()
    ask = client.post(url("ledger_certify", books), {"entry": [books.mine.pk, books.points.pk]})
    assert ask.status_code == 200 and 'value="yes"' in ask.content.decode()
    assert not Certification.objects.exists()
    done = client.post(
        url("ledger_certify", books),
        {"entry": [books.mine.pk, books.points.pk], "confirm": "yes", "note": "第一批"},
    )
    assert done.status_code == 302
    assert set(Certification.objects.values_list("entry_id", flat=True)) == {
        books.mine.pk,
        books.points.pk,
    }
    # Certified entries leave the list; a second batch of the same entries records nothing.
    client.post(url("ledger_certify", books), {"entry": [books.mine.pk], "confirm": "yes"})
    assert Certification.objects.count() == 2


@pytest.mark.parametrize("role", [Role.STUDENT_AFFAIRS, Role.COLLEGE_LEAGUE])
def test_other_offices_see_the_certify_list_read_only(client, books, role):
    client.force_login(books.user(role=role))
    page = client.get(url("ledger_certify", books))
    assert page.status_code == 200
    assert 'name="entry"' not in page.content.decode()
    response = client.post(url("ledger_certify", books), {"entry": [books.mine.pk]})
    assert response.status_code == 403
    assert client.get(url("ledger_correct", books, books.mine.pk)).status_code == 403
    assert not Certification.objects.exists()


def test_a_student_or_outsider_gets_404_on_certify(client, books, other_kit):
    client.force_login(books.pupil)
    assert client.get(url("ledger_certify", books)).status_code == 404
    # Their own entry they may see, not change; someone else's they may not see.
    assert client.get(url("ledger_correct", books, books.mine.pk)).status_code == 403
    neighbours = CreditEntry.objects.get(student=books.neighbour)
    assert client.get(url("ledger_correct", books, neighbours.pk)).status_code == 404
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url("ledger_certify", books)).status_code == 404


def test_the_league_committee_enters_a_correction(client, books):
    client.force_login(books.league)
    form = url("ledger_correct", books, books.mine.pk)
    assert client.get(form).status_code == 200
    bad = client.post(form, {"amount": "1", "reason": ""})
    assert (
        bad.status_code == 200 and CreditEntry.objects.filter(corrects__isnull=False).count() == 0
    )
    done = client.post(form, {"amount": "1.25", "reason": "补录培训时长"})
    assert done.status_code == 302
    correction = CreditEntry.objects.get(corrects=books.mine)
    assert correction.amount == Decimal("1.25") and correction.note == "补录培训时长"
    assert correction.created_by == books.league


def _sheet(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_per_class_opens_in_excel(client, books):
    ledger.certify_batch(actor=books.league, school=books.school, entries=[books.mine])
    client.force_login(books.league)
    rows = _sheet(client.get(url("ledger_export", books), {"class": books.class_group.pk}))
    header = rows[0]
    assert header[:3] == ["学号", "姓名", "班级"]
    assert "志愿服务（学时）" in header and "活动（分）" in header
    assert "已认证·志愿服务（学时）" in header
    students = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert books.neighbour.student_no not in students  # another class
    mine = students[books.pupil.student.student_no]
    assert mine["班级"] == "软件2001"
    assert mine["志愿服务（学时）"] == 3 and mine["已认证·志愿服务（学时）"] == 3
    assert mine["活动（分）"] == 2 and mine["已认证·活动（分）"] == 0


def test_export_per_college_has_every_class(client, books):
    client.force_login(books.user(role=Role.COLLEGE_LEAGUE))
    rows = _sheet(client.get(url("ledger_export", books), {"college": books.college.pk}))
    numbers = {r[0] for r in rows[1:]}
    assert {books.pupil.student.student_no, books.neighbour.student_no} <= numbers


def test_a_league_branch_exports_only_its_class(client, books):
    client.force_login(books.user(role=Role.LEAGUE_BRANCH))
    page = client.get(url("ledger_export", books))
    assert page.status_code == 200 and "软件2001" in page.content.decode()
    assert "软件2002" not in page.content.decode()
    own = client.get(url("ledger_export", books), {"class": books.class_group.pk})
    assert own.status_code == 200
    assert (
        client.get(url("ledger_export", books), {"class": books.other_class.pk}).status_code == 403
    )
    assert client.get(url("ledger_export", books), {"college": books.college.pk}).status_code == 403


def test_students_and_outsiders_cannot_export(client, books, other_kit):
    client.force_login(books.pupil)
    assert client.get(url("ledger_export", books)).status_code == 404
    assert (
        client.get(url("ledger_export", books), {"class": books.class_group.pk}).status_code == 404
    )
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert (
        client.get(url("ledger_export", books), {"class": books.class_group.pk}).status_code == 404
    )


def test_export_page_charts_volunteer_hours_by_month_and_area(client, books):
    correction = ledger.credit_correct(
        actor=books.league, entry=books.mine, amount=Decimal("-1.00"), note="多记了一小时"
    )
    assert correction.category == CreditCategory.CORRECTION
    client.force_login(books.league)
    page = client.get(url("ledger_export", books))
    ((svg, rows),) = figures(page.content.decode())
    assert svg_title(svg) == page.context["chart"].title
    month = f"{timezone.localdate():%Y-%m}"
    assert len(bars(svg)) == 12 and bars(svg)[-1] == (month, "7")  # 3 - 1 + 5 hours
    assert rows[-1] == [month, "7", "7"] and all(r[-1] == "0" for r in rows[:-1])
    # A class's League branch sees the hours of its class only (the pupil's: 3 - 1).
    client.force_login(books.user(role=Role.LEAGUE_BRANCH))
    ((svg, rows),) = figures(client.get(url("ledger_export", books)).content.decode())
    assert rows[-1] == [month, "2", "2"]
