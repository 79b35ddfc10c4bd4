"""Handover notes: written by the holder, kept with the seat, read by the successor, the League
committee and the author; services and pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org import services as org_services
from tuanxue.org.access import build_viewer
from tuanxue.org.models import EndReason, Role, Title
from tuanxue.selection import handover
from tuanxue.selection.models import HandoverNote


@pytest.fixture
def seat(chartered):
    kit = chartered
    kit.dept = kit.department()
    kit.holder = kit.post(
        kit.good_student("前任", user=kit.user("holder")), kit.dept, Title.MINISTER
    )
    kit.colleague = kit.post(
        kit.good_student("同事", user=kit.user("colleague")), kit.dept, Title.STAFF
    )
    kit.league = kit.user("league", role=Role.SCHOOL_LEAGUE)
    kit.plain = kit.user("plain", student=True)
    return kit


def write(membership, text="迎新晚会筹备进行中，场地已预约。"):
    return handover.handover_note_write(
        actor=membership.student.user,
        membership=membership,
        ongoing_work=text,
        contacts="校团委王老师 138…",
        files="共享盘/秘书部/2021",
    )


def hand_over(kit):
    """The holder leaves; a successor takes the same seat."""
    org_services.membership_end(
        actor=None, membership=kit.holder, end=timezone.localdate(), reason=EndReason.TERM_END
    )
    kit.successor = kit.post(
        kit.good_student("继任", user=kit.user("successor")), kit.dept, Title.MINISTER
    )
    return kit.successor


def test_the_holder_writes_a_note_and_it_is_audited(seat):
    note = write(seat.holder)
    assert (note.body, note.title, note.author) == (seat.dept, Title.MINISTER, seat.holder)
    event = AuditEvent.objects.get(action="selection.handover.written")
    assert event.target_id == str(note.pk)


def test_only_the_holder_writes_with_some_ongoing_work(seat):
    for actor in (seat.colleague.student.user, seat.league, seat.plain):
        with pytest.raises(DomainError) as exc:
            handover.handover_note_write(actor=actor, membership=seat.holder, ongoing_work="工作")
        assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        write(seat.holder, text="   ")
    assert exc.value.field == "ongoing_work"
    assert not HandoverNote.objects.exists()


def test_a_former_holder_writes_within_60_days_only(seat):
    today = timezone.localdate()
    org_services.membership_end(
        actor=None,
        membership=seat.holder,
        end=today - dt.timedelta(days=60),
        reason=EndReason.RESIGNATION,
    )
    seat.holder.refresh_from_db()
    write(seat.holder)
    org_services.membership_end(
        actor=None,
        membership=seat.colleague,
        end=today - dt.timedelta(days=61),
        reason=EndReason.RESIGNATION,
    )
    seat.colleague.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        write(seat.colleague)
    assert exc.value.code == "closed"


def test_notes_stay_with_the_seat_and_the_successor_reads_them(seat):
    kit = seat
    note = write(kit.holder)
    successor = hand_over(kit)
    assert list(handover.notes_for_seat(kit.dept, Title.MINISTER)) == [note]
    readable = {
        "successor": build_viewer(successor.student.user),
        "league": build_viewer(kit.league),
        "author": build_viewer(kit.holder.student.user),
    }
    for name, viewer in readable.items():
        assert list(handover.notes_visible_to(viewer, kit.dept, Title.MINISTER)) == [note], name
    for user in (kit.colleague.student.user, kit.plain, kit.user(role=Role.STUDENT_AFFAIRS)):
        assert not handover.notes_visible_to(build_viewer(user), kit.dept, Title.MINISTER)
    # another seat of the same body is another seat
    assert not handover.notes_for_seat(kit.dept, Title.STAFF).exists()


# -- pages ----------------------------------------------------------------------------------


def test_write_page(client, seat, other_kit):
    kit = seat
    url = reverse("exits:handover_write", args=[kit.school.code, kit.holder.pk])
    client.force_login(kit.holder.student.user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"ongoing_work": "", "contacts": "", "files": ""})
    assert response.status_code == 200 and response.context["form"].errors["ongoing_work"]
    response = client.post(url, {"ongoing_work": "学期总结未完成", "contacts": "", "files": ""})
    assert response.status_code == 302
    assert HandoverNote.objects.get().ongoing_work == "学期总结未完成"
    for user in (kit.colleague.student.user, kit.league, kit.plain):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"ongoing_work": "x"}).status_code == 403
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url).status_code == 404
    assert HandoverNote.objects.count() == 1


def test_notes_page(client, seat, other_kit):
    kit = seat
    write(kit.holder, text="社团评优材料待提交")
    successor = hand_over(kit)
    url = reverse("exits:handover_notes", args=[kit.school.code, kit.dept.pk, Title.MINISTER])
    for user in (successor.student.user, kit.league, kit.holder.student.user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "社团评优材料待提交" in response.content.decode()
    for user in (kit.colleague.student.user, kit.plain, kit.user(role=Role.SCHOOL_PARTY)):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url).status_code == 404


def test_my_posts_links_to_writing_and_reading(client, seat):
    kit = seat
    client.force_login(kit.holder.student.user)
    html = client.get(reverse("exits:my_posts", args=[kit.school.code])).content.decode()
    assert reverse("exits:handover_write", args=[kit.school.code, kit.holder.pk]) in html
    notes = reverse("exits:handover_notes", args=[kit.school.code, kit.dept.pk, Title.MINISTER])
    assert notes in html
    response = client.get(notes)
    assert response.status_code == 200 and response.context["notes"] == []
