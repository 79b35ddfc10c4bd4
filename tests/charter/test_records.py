"""Recording guidance, documents and past congresses: services (audited, checked) and pages
(League committee writes, school offices read, everyone else 404)."""

import datetime as dt

import pytest
from django.urls import reverse

from tuanxue.charter import services as charter_services
from tuanxue.charter.assessment import assess
from tuanxue.charter.models import Attestation, CongressRecord, Guidance
from tuanxue.charter.records import services
from tuanxue.charter.verdicts import FAIL, NOT_EVIDENCED, PASS
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role, StaffPerson

DAY = dt.date(2020, 9, 30)


def url(name, kit, *args):
    return reverse(f"records:{name}", args=[kit.school.code, *args])


def teacher(kit, no="T001", name="王老师"):
    return StaffPerson.objects.create(school=kit.school, staff_no=no, name=name, unit="校团委")


def actions(kit):
    return list(AuditEvent.objects.filter(school=kit.school).values_list("action", flat=True))


def item(report, code):
    return next(i for i in report.items if i.code == code)


# -- services --------------------------------------------------------------------------------


def test_congress_record_is_checked_edited_and_deleted_with_audit(kit):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    union = kit.school_union
    with pytest.raises(DomainError) as err:
        charter_services.congress_record_add(
            actor=league,
            school=kit.school,
            union=union,
            name=" ",
            held_on=DAY,
            delegates=10,
            elected_presidium=True,
        )
    assert err.value.field == "name"
    with pytest.raises(DomainError) as err:
        charter_services.congress_record_add(
            actor=league,
            school=kit.school,
            union=union,
            name="第十三次学生代表大会",
            held_on=DAY,
            delegates=0,
            elected_presidium=True,
        )
    assert err.value.field == "delegates"
    assert not CongressRecord.objects.exists()

    record = charter_services.congress_record_add(
        actor=league,
        school=kit.school,
        union=union,
        name="第十三次学生代表大会",
        held_on=dt.date(2019, 8, 26),
        delegates=150,
        elected_presidium=False,
    )
    services.congress_record_update(
        actor=league,
        record=record,
        union=union,
        name="第十三次学生代表大会",
        held_on=dt.date(2019, 8, 26),
        delegates=160,
        elected_presidium=True,
        notes="",
    )
    record.refresh_from_db()
    assert record.delegates == 160 and record.elected_presidium
    changed = AuditEvent.objects.get(action="charter.congress.changed")
    assert changed.old == {"delegates": 150, "elected_presidium": False}
    assert changed.new == {"delegates": 160, "elected_presidium": True}

    services.congress_record_delete(actor=league, record=record)
    assert not CongressRecord.objects.exists()
    deleted = AuditEvent.objects.get(action="charter.congress.deleted")
    assert deleted.old["name"] == "第十三次学生代表大会" and deleted.old["delegates"] == 160


def test_only_the_league_committee_changes_records(kit):
    affairs = kit.user(role=Role.STUDENT_AFFAIRS)
    with pytest.raises(DomainError) as err:
        charter_services.attestation_add(
            actor=affairs, school=kit.school, item_code="12", title="纪要", dated=DAY
        )
    assert err.value.code == "forbidden"
    assert not Attestation.objects.exists()


def test_attestation_needs_an_item_documents_can_support(kit):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    with pytest.raises(DomainError) as err:
        charter_services.attestation_add(
            actor=league, school=kit.school, item_code="3", title="人数表", dated=DAY
        )
    assert err.value.field == "item_code" and "3" in err.value.message
    with pytest.raises(DomainError) as err:
        charter_services.attestation_add(
            actor=league,
            school=kit.school,
            item_code="12",
            title="纪要",
            dated=dt.date.today() + dt.timedelta(days=3),
        )
    assert err.value.field == "dated"
    doc = charter_services.attestation_add(
        actor=league, school=kit.school, item_code="12", title="党委会纪要", dated=DAY
    )
    services.attestation_update(
        actor=league, attestation=doc, item_code="11", title="述职评议会记录", dated=DAY, summary=""
    )
    doc.refresh_from_db()
    assert (doc.item_code, doc.title) == ("11", "述职评议会记录")
    services.attestation_delete(actor=league, attestation=doc)
    assert actions(kit)[-3:] == [
        "charter.attestation.recorded",
        "charter.attestation.changed",
        "charter.attestation.deleted",
    ]


def test_recorded_guidance_and_congress_turn_items_from_not_evidenced_to_pass(chartered):
    kit = chartered
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    before = assess(kit.school, DAY)
    assert item(before, "13").status == NOT_EVIDENCED
    assert item(before, "9").status == NOT_EVIDENCED
    charter_services.guidance_set(actor=league, union=kit.school_union, advisor=teacher(kit))
    charter_services.congress_record_add(
        actor=league,
        school=kit.school,
        union=kit.school_union,
        name="第十四次学生代表大会",
        held_on=dt.date(2020, 8, 25),
        delegates=3,
        elected_presidium=True,
    )
    after = assess(kit.school, DAY)
    # Only the advisor: the item fails and says what is missing.
    assert item(after, "13").status == FAIL and "秘书长" in item(after, "13").detail
    assert item(after, "9").status == PASS
    sg = teacher(kit, "T002", "李老师")
    charter_services.guidance_set(
        actor=league,
        union=kit.school_union,
        advisor=StaffPerson.objects.get(staff_no="T001"),
        secretary_general=sg,
    )
    assert item(assess(kit.school, DAY), "13").status == PASS
    services.guidance_clear(actor=league, union=kit.school_union)
    assert not Guidance.objects.exists()
    assert item(assess(kit.school, DAY), "13").status == NOT_EVIDENCED
    assert "charter.guidance.cleared" in actions(kit)


def test_guidance_needs_a_teacher(kit):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    with pytest.raises(DomainError):
        charter_services.guidance_set(actor=league, union=kit.school_union)
    assert not Guidance.objects.exists()


# -- pages -----------------------------------------------------------------------------------

PAGES = ["guidance", "documents", "congresses"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", [Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS, Role.SCHOOL_PARTY])
def test_school_offices_read_the_pages(client, kit, page, role):
    client.force_login(kit.user(role=role))
    response = client.get(url(page, kit))
    assert response.status_code == 200
    body = response.content.decode()
    may_write = role == Role.SCHOOL_LEAGUE
    new_link = {
        "guidance": url("guidance_edit", kit, kit.school_union.pk),
        "documents": url("document_new", kit),
        "congresses": url("congress_new", kit),
    }[page]
    assert (new_link in body) is may_write


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["student", "college", "other_school"])
def test_outsiders_get_404(client, kit, other_kit, page, who):
    user = {
        "student": lambda: kit.user(student=True),
        "college": lambda: kit.user(role=Role.COLLEGE_LEAGUE),
        "other_school": lambda: other_kit.user(role=Role.SCHOOL_LEAGUE),
    }[who]()
    client.force_login(user)
    assert client.get(url(page, kit)).status_code == 404
    assert client.get(url("document_new", kit)).status_code == 404


def test_read_only_office_gets_403_on_writes(client, kit):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    record = charter_services.congress_record_add(
        actor=league,
        school=kit.school,
        union=kit.school_union,
        name="第十三次学生代表大会",
        held_on=dt.date(2019, 8, 26),
        delegates=150,
        elected_presidium=True,
    )
    client.force_login(kit.user(role=Role.STUDENT_AFFAIRS))
    for target in (
        url("congress_new", kit),
        url("congress_edit", kit, record.pk),
        url("congress_delete", kit, record.pk),
        url("document_new", kit),
        url("guidance_edit", kit, kit.school_union.pk),
    ):
        assert client.get(target).status_code == 403
        assert client.post(target, {"name": "x"}).status_code == 403
    assert CongressRecord.objects.get().delegates == 150


def test_record_of_another_school_is_not_found(client, kit, other_kit):
    league = other_kit.user(role=Role.SCHOOL_LEAGUE)
    record = charter_services.congress_record_add(
        actor=league,
        school=other_kit.school,
        union=other_kit.school_union,
        name="第一次学生代表大会",
        held_on=dt.date(2019, 8, 26),
        delegates=5,
        elected_presidium=True,
    )
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url("congress_edit", kit, record.pk)).status_code == 404
    assert client.post(url("congress_delete", kit, record.pk)).status_code == 404
    assert CongressRecord.objects.filter(pk=record.pk).exists()


def test_congress_page_adds_edits_and_deletes_after_confirmation(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    data = {
        "union": kit.school_union.pk,
        "name": "第十三次学生代表大会",
        "held_on": "2019-08-26",
        "delegates": "abc",
        "elected_presidium": "on",
    }
    response = client.post(url("congress_new", kit), data)
    assert response.status_code == 200 and not CongressRecord.objects.exists()
    assert "errorlist" in response.content.decode()
    future = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    response = client.post(
        url("congress_new", kit), {**data, "delegates": "150", "held_on": future}
    )
    assert future in response.content.decode() and not CongressRecord.objects.exists()
    response = client.post(url("congress_new", kit), {**data, "delegates": "150"})
    assert response.status_code == 302
    record = CongressRecord.objects.get()
    assert record.delegates == 150 and record.elected_presidium

    response = client.post(url("congress_edit", kit, record.pk), {**data, "delegates": "155"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.delegates == 155

    confirm = client.get(url("congress_delete", kit, record.pk))
    assert confirm.status_code == 200 and "第十三次学生代表大会" in confirm.content.decode()
    assert CongressRecord.objects.exists()
    assert client.post(url("congress_delete", kit, record.pk)).status_code == 302
    assert not CongressRecord.objects.exists()
    listing = client.get(url("congresses", kit)).content.decode()
    assert "第十三次学生代表大会" in listing  # the success message names it


def test_document_page_preselects_the_item_and_lists_by_item(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    form = client.get(url("document_new", kit), {"item": "12"}).content.decode()
    assert 'value="12" selected' in form
    response = client.post(
        url("document_new", kit),
        {"item_code": "12", "title": "校党委会会议纪要", "dated": "2020-06-29", "summary": ""},
    )
    assert response.status_code == 302
    listing = client.get(url("documents", kit)).content.decode()
    section = listing.split('id="item-12"')[1].split("</section>")[0]
    assert "校党委会会议纪要" in section and "2020-06-29" in section
    doc = Attestation.objects.get()
    assert client.post(url("document_delete", kit, doc.pk)).status_code == 302
    assert not Attestation.objects.exists()


def test_guidance_page_chooses_teachers_and_says_when_there_are_none(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    page = client.get(url("guidance", kit)).content.decode()
    assert "No teacher is on the staff list yet" in page or "教职工名单中还没有老师" in page
    advisor, sg = teacher(kit), teacher(kit, "T002", "李老师")
    target = url("guidance_edit", kit, kit.school_union.pk)
    response = client.post(target, {"advisor": "", "secretary_general": ""})
    assert response.status_code == 200 and not Guidance.objects.exists()
    response = client.post(target, {"advisor": advisor.pk, "secretary_general": sg.pk})
    assert response.status_code == 302
    g = Guidance.objects.get()
    assert (g.advisor, g.secretary_general) == (advisor, sg)
    page = client.get(url("guidance", kit)).content.decode()
    assert "王老师" in page and "李老师" in page
    assert client.post(url("guidance_clear", kit, kit.school_union.pk)).status_code == 302
    assert not Guidance.objects.exists()
