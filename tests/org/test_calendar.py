"""The academic calendar: years and semesters with order and overlap checks, audited; pages for
the registry managers (write), the school offices (read) and no one else."""

import datetime as dt

import pytest
from django.urls import reverse

from tuanxue.core.errors import DomainError
from tuanxue.core.models import AcademicYear, AuditEvent, Semester
from tuanxue.org.calendar import services
from tuanxue.org.models import Role

D = dt.date


def url(name, kit, *args):
    return reverse(f"calendar:{name}", args=[kit.school.code, *args])


@pytest.fixture
def year(kit):
    return services.academic_year_create(
        actor=None, school=kit.school, code="2020-2021", start=D(2020, 9, 1), end=D(2021, 8, 31)
    )


def test_year_checks_form_order_and_overlap(kit, year):
    def add(code, start, end):
        return services.academic_year_create(
            actor=None, school=kit.school, code=code, start=start, end=end
        )

    cases = [
        (("2020-2022", D(2020, 9, 1), D(2021, 8, 31)), "code", "2020-2022"),
        (("2021-2022", D(2022, 9, 1), D(2022, 8, 31)), "end", ""),
        (("2021-2022", D(2020, 9, 1), D(2021, 8, 31)), "start", "2021"),
        (("2021-2022", D(2021, 8, 1), D(2022, 7, 31)), "start", "2020-2021"),
        (("2020-2021", D(2020, 9, 1), D(2021, 8, 31)), "code", "2020-2021"),
    ]
    for args, field, named in cases:
        with pytest.raises(DomainError) as err:
            add(*args)
        assert err.value.field == field
        assert named in err.value.message
    assert AcademicYear.objects.count() == 1
    add("2021-2022", D(2021, 9, 1), D(2022, 8, 31))
    assert AuditEvent.objects.filter(action="org.year.created").count() == 2


def test_year_cannot_shrink_past_its_semesters(kit, year):
    services.semester_create(
        actor=None, year=year, number=2, start=D(2021, 2, 20), end=D(2021, 7, 10)
    )
    with pytest.raises(DomainError) as err:
        services.academic_year_update(
            actor=None, year=year, start=D(2020, 9, 1), end=D(2021, 6, 30)
        )
    assert "2020-2021-2" in err.value.message
    services.academic_year_update(actor=None, year=year, start=D(2020, 8, 25), end=D(2021, 8, 31))
    event = AuditEvent.objects.get(action="org.year.changed")
    assert event.old["start"] == "2020-09-01" and event.new["start"] == "2020-08-25"


def test_semester_checks_inside_order_and_overlap(kit, year):
    def add(number, start, end):
        return services.semester_create(actor=None, year=year, number=number, start=start, end=end)

    with pytest.raises(DomainError) as err:
        add(1, D(2020, 8, 1), D(2021, 1, 31))
    assert "2020-2021" in err.value.message
    first = add(1, D(2020, 9, 1), D(2021, 1, 31))
    assert first.code == "2020-2021-1"
    with pytest.raises(DomainError) as err:
        add(2, D(2021, 1, 15), D(2021, 7, 15))
    assert "2020-2021-1" in err.value.message  # overlap names the other semester
    with pytest.raises(DomainError) as err:
        add(1, D(2021, 2, 15), D(2021, 7, 15))
    assert err.value.field == "number"
    second = add(2, D(2021, 2, 15), D(2021, 7, 15))
    with pytest.raises(DomainError) as err:
        services.semester_update(
            actor=None, semester=first, start=D(2021, 7, 20), end=D(2021, 8, 20)
        )
    assert "first semester must come before" in err.value.message or "第一学期" in err.value.message
    services.semester_update(actor=None, semester=second, start=D(2021, 2, 20), end=D(2021, 7, 15))
    assert Semester.objects.get(pk=second.pk).start == D(2021, 2, 20)
    assert AuditEvent.objects.filter(action__startswith="org.semester.").count() == 3


def test_only_registry_managers_change_the_calendar(kit):
    party = kit.user(role=Role.SCHOOL_PARTY)
    with pytest.raises(DomainError) as err:
        services.academic_year_create(
            actor=party,
            school=kit.school,
            code="2020-2021",
            start=D(2020, 9, 1),
            end=D(2021, 8, 31),
        )
    assert err.value.code == "forbidden"


@pytest.mark.parametrize(
    "role,status,writes",
    [
        (Role.SCHOOL_LEAGUE, 200, True),
        (Role.STUDENT_AFFAIRS, 200, True),
        (Role.SCHOOL_PARTY, 200, False),
        (Role.COLLEGE_LEAGUE, 404, False),
        (None, 404, False),
    ],
)
def test_calendar_page_permissions(client, kit, year, role, status, writes):
    client.force_login(kit.user(role=role, student=role is None))
    response = client.get(url("index", kit))
    assert response.status_code == status
    new = client.get(url("year_new", kit))
    edit = client.post(url("year_edit", kit, year.pk), {"start": "2020-08-01", "end": "2021-08-31"})
    if writes:
        assert new.status_code == 200 and edit.status_code == 302
        assert AcademicYear.objects.get(pk=year.pk).start == D(2020, 8, 1)
    else:
        assert new.status_code == (403 if status == 200 else 404)
        assert edit.status_code == (403 if status == 200 else 404)
        assert AcademicYear.objects.get(pk=year.pk).start == D(2020, 9, 1)


def test_calendar_page_shows_refusals_and_other_schools_years_are_not_found(
    client, kit, other_kit, year
):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(
        url("year_new", kit), {"code": "2021-2022", "start": "2021-08-01", "end": "2022-07-31"}
    )
    assert response.status_code == 200 and "2020-2021" in response.content.decode()
    assert AcademicYear.objects.filter(school=kit.school).count() == 1
    response = client.post(
        url("semester_new", kit, year.pk),
        {"number": "1", "start": "2020-09-01", "end": "2021-01-31"},
    )
    assert response.status_code == 302
    assert Semester.objects.get().code == "2020-2021-1"
    theirs = services.academic_year_create(
        actor=None,
        school=other_kit.school,
        code="2020-2021",
        start=D(2020, 9, 1),
        end=D(2021, 8, 31),
    )
    assert client.get(url("year_edit", kit, theirs.pk)).status_code == 404
    page = client.get(url("index", kit)).content.decode()
    assert "2020-2021-1" in page


def test_removing_what_was_added_by_mistake(client, kit, year):
    from tuanxue.org.models import AcademicRecord

    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    semester = services.semester_create(
        actor=None, year=year, number=1, start=D(2020, 9, 1), end=D(2021, 1, 31)
    )
    # A year with a semester stays, and says why.
    confirm = client.get(url("year_delete", kit, year.pk))
    assert confirm.status_code == 200
    response = client.post(url("year_delete", kit, year.pk), follow=True)
    assert AcademicYear.objects.filter(pk=year.pk).exists()
    assert "2020-2021" in response.content.decode()
    # A semester that records refer to stays; nothing is written to the audit log.
    record = AcademicRecord.objects.create(
        school=kit.school,
        student=kit.student(),
        semester=semester,
        study_rank=1,
        assessment_rank=1,
        major_size=10,
        failed_courses=0,
    )
    client.post(url("semester_delete", kit, semester.pk))
    assert Semester.objects.filter(pk=semester.pk).exists()
    assert not AuditEvent.objects.filter(action="org.semester.deleted").exists()
    record.delete()
    assert client.post(url("semester_delete", kit, semester.pk)).status_code == 302
    assert not Semester.objects.filter(pk=semester.pk).exists()
    assert client.post(url("year_delete", kit, year.pk)).status_code == 302
    assert not AcademicYear.objects.filter(pk=year.pk).exists()
    assert (
        AuditEvent.objects.filter(action__in=["org.semester.deleted", "org.year.deleted"]).count()
        == 2
    )


def test_reading_offices_cannot_remove(client, kit, year):
    client.force_login(kit.user(role=Role.SCHOOL_PARTY))
    assert client.get(url("year_delete", kit, year.pk)).status_code == 403
    assert client.post(url("year_delete", kit, year.pk)).status_code == 403
    assert AcademicYear.objects.filter(pk=year.pk).exists()
