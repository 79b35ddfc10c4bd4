"""Every linkage page for an allowed role, a read-only role and an outsider."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import SchoolKit
from tuanxue.linkage import services
from tuanxue.linkage.models import ClassCopy, ClassRole, CollegeCopy, JointMeeting, Notice
from tuanxue.org.models import Role


@pytest.fixture
def world(lk):
    notice = services.notice_send(
        actor=lk.league,
        school=lk.school,
        kind="task",
        sender="league",
        title="报送台账",
        body="请报送",
        deadline=lk.deadline(),
    )
    c1 = CollegeCopy.objects.get(notice=notice, college=lk.college1)
    services.college_forward(actor=lk.col1, copy=c1)
    lk.notice = notice
    lk.outsider = SchoolKit(code="oth", name="另一所").user("outsider", role=Role.SCHOOL_LEAGUE)
    return lk


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"linkage:{name}", args=args))


def _post(client, user, name, *args, data=None):
    client.force_login(user)
    return client.post(reverse(f"linkage:{name}", args=args), data or {})


def test_list_shows_each_viewer_what_reached_them(client, world):
    assert "报送台账" in _get(client, world.league, "notices", "tst").content.decode()
    assert "报送台账" in _get(client, world.sec1, "notices", "tst").content.decode()
    page = _get(client, world.student, "notices", "tst").content.decode()
    assert "报送台账" not in page and "notice-list" not in page
    assert _get(client, world.outsider, "notices", "tst").status_code == 404


def test_send_page_allowed_forbidden_outsider(client, world):
    assert _get(client, world.league, "notice_new", "tst").status_code == 200
    assert _get(client, world.affairs, "notice_new", "tst").status_code == 403
    assert _get(client, world.col1, "notice_new", "tst").status_code == 403
    assert _get(client, world.outsider, "notice_new", "tst").status_code == 404
    r = _post(
        client,
        world.league,
        "notice_new",
        "tst",
        data={"kind": "notice", "sender": "league", "title": "新通知", "body": "内容"},
    )
    assert r.status_code == 302
    r = _post(
        client,
        world.league,
        "notice_new",
        "tst",
        data={"kind": "task", "sender": "league", "title": "无期限", "body": "内容"},
    )
    assert r.status_code == 200 and not Notice.objects.filter(title="无期限").exists()


def test_notice_page_per_role(client, world):
    n = world.notice.pk
    for user in (world.league, world.affairs, world.col1, world.col2, world.sec1):
        assert _get(client, user, "notice", "tst", n).status_code == 200, user
    for user in (world.sec3, world.student, world.outsider):  # class3 not reached yet
        assert _get(client, user, "notice", "tst", n).status_code == 404, user
    page = _get(client, world.affairs, "notice", "tst", n).content.decode()
    assert 'id="level-classes"' in page


def test_forward_read_done_remind_permissions(client, world):
    n, c1, c2 = world.notice.pk, world.college1.pk, world.college2.pk
    # forward: the college's forwarder; another college's -> 404; read-only office -> 403
    assert _post(client, world.col1, "college_forward", "tst", n, c2).status_code == 404
    assert _post(client, world.affairs, "college_forward", "tst", n, c2).status_code == 403
    assert _post(client, world.col2, "college_forward", "tst", n, c2).status_code == 302
    assert ClassCopy.objects.filter(class_group=world.class3).exists()
    # class read and report
    k1 = world.class1.pk
    assert _post(client, world.sec3, "class_read", "tst", n, k1).status_code == 404
    assert _post(client, world.league, "class_read", "tst", n, k1).status_code == 403
    assert _post(client, world.col1, "class_read", "tst", n, k1).status_code == 403
    assert _post(client, world.sec1, "class_read", "tst", n, k1).status_code == 302
    assert _get(client, world.sec1, "class_done", "tst", n, k1).status_code == 200
    assert _get(client, world.affairs, "class_done", "tst", n, k1).status_code == 403
    assert _get(client, world.outsider, "class_done", "tst", n, k1).status_code == 404
    r = _post(client, world.sec1, "class_done", "tst", n, k1, data={"report": ""})
    assert r.status_code == 200 and not ClassCopy.objects.get(class_group_id=k1).done_at
    r = _post(client, world.sec1, "class_done", "tst", n, k1, data={"report": "已完成"})
    assert r.status_code == 302 and ClassCopy.objects.get(class_group_id=k1).done_at
    # college read and report
    assert _post(client, world.col1, "college_read", "tst", n, c1).status_code == 302
    assert _post(client, world.affairs, "college_read", "tst", n, c1).status_code == 403
    assert _get(client, world.col1, "college_done", "tst", n, c1).status_code == 200
    assert _get(client, world.sec1, "college_done", "tst", n, c1).status_code == 404
    # remind: the senders; a college its classes
    assert _post(client, world.league, "remind", "tst", n).status_code == 302
    assert _post(client, world.affairs, "remind", "tst", n).status_code == 403
    assert _post(client, world.sec1, "remind", "tst", n).status_code == 403
    assert _post(client, world.outsider, "remind", "tst", n).status_code == 404
    assert _post(client, world.col1, "college_remind", "tst", n, c1).status_code == 302
    assert _post(client, world.affairs, "college_remind", "tst", n, c1).status_code == 403
    # files: none attached -> 404 even for the allowed
    assert _get(client, world.league, "class_file", "tst", n, k1).status_code == 404
    assert _get(client, world.outsider, "college_file", "tst", n, c1).status_code == 404


def test_class_page_edit_and_meetings(client, world):
    k = world.class1.pk
    for user in (world.league, world.affairs, world.col1, world.sec1):
        assert _get(client, user, "class", "tst", k).status_code == 200
    classmate = world.kit.user("mate", student=True)  # a student of class1: reads
    assert _get(client, classmate, "class", "tst", k).status_code == 200
    for user in (world.col2, world.sec3, world.outsider):
        assert _get(client, user, "class", "tst", k).status_code == 404
    other = world.kit.student(name="外班", class_group=world.class3)
    other_user = world.kit.user("otherclass")
    other.user = other_user
    other.save()
    assert _get(client, other_user, "class", "tst", k).status_code == 404
    # editing: the college League committee and the class secretary; others 403
    party = world.kit.user("party", role=Role.SCHOOL_PARTY)  # sees the school, edits nothing
    assert _get(client, party, "class", "tst", k).status_code == 200
    for user in (party, classmate):
        assert _get(client, user, "class_roles", "tst", k).status_code == 403
        assert _get(client, user, "meeting_new", "tst", k).status_code == 403
    assert _get(client, world.outsider, "class_roles", "tst", k).status_code == 404
    a = world.sec1_student
    r = _post(
        client,
        world.sec1,
        "class_roles",
        "tst",
        k,
        data={"term": world.term.code, "monitor": a.pk, "deputy": a.pk},
    )
    assert r.status_code == 302
    assert ClassRole.objects.filter(class_group_id=k, student=a).count() == 2
    page = _get(client, world.col1, "class", "tst", k).content.decode()
    assert 'id="class-rules"' in page
    r = _post(
        client,
        world.col1,
        "meeting_new",
        "tst",
        k,
        data={"held_on": "2020-09-01", "attendees": "全体", "decisions": "决定"},
    )
    assert r.status_code == 302 and JointMeeting.objects.count() == 1
    r = _post(client, world.col1, "meeting_new", "tst", k, data={"held_on": "2020-09-01"})
    assert r.status_code == 200 and JointMeeting.objects.count() == 1


def test_the_federation_has_no_part_in_a_schools_notices(client, world):
    """The federation reads every school's records, not its notices and classes: every linkage
    page is 404 to it, also for the school it is looking at (which its viewer then carries)."""
    federation = world.kit.user("federation", role=Role.FEDERATION)
    client.force_login(federation)
    assert client.get(reverse("org:school_home", args=["tst"])).status_code == 200
    n, c, k = world.notice.pk, world.college1.pk, world.class1.pk
    for name, args in (
        ("notices", []),
        ("notice_new", []),
        ("notice", [n]),
        ("college_file", [n, c]),
        ("class", [k]),
        ("class_roles", [k]),
    ):
        response = client.get(reverse(f"linkage:{name}", args=["tst", *args]))
        assert response.status_code == 404, name
    assert client.post(reverse("linkage:remind", args=["tst", n])).status_code == 404
