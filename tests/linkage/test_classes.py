"""Class roles per term, the class–League rules (class page and compliance row), meetings."""

from __future__ import annotations

import datetime as dt

import pytest

from tuanxue.charter.compliance import union_rules
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.linkage import classes
from tuanxue.linkage.models import ClassRole, JointMeeting
from tuanxue.org.selectors import union_structure


def _set(lk, role, student, group=None, actor=None):
    return classes.class_role_set(
        actor=actor or lk.col1,
        class_group=group or lk.class1,
        semester=lk.term,
        role=role,
        student=student,
    )


def test_roles_one_holder_replaced_and_cleared_with_audit(lk):
    a, b = lk.kit.student(name="甲"), lk.kit.student(name="乙")
    _set(lk, "monitor", a)
    _set(lk, "monitor", b, actor=lk.sec1)  # the class's League secretary edits too
    assert ClassRole.objects.get(role="monitor").student == b
    _set(lk, "monitor", None)
    assert not ClassRole.objects.exists()
    events = AuditEvent.objects.filter(action="linkage.class_role.set").order_by("pk")
    assert [e.new["student"] for e in events] == ["甲", "乙", None]
    assert events[1].old == {"student": "甲"}


def test_a_role_goes_only_to_a_student_of_the_class_by_an_editor(lk):
    other = lk.kit.student(name="丙", class_group=lk.class2)
    with pytest.raises(DomainError) as exc:
        _set(lk, "monitor", other)
    assert exc.value.field == "student"
    for user in (lk.col2, lk.sec3, lk.student, lk.kit.user(role="college_party")):
        with pytest.raises(DomainError) as exc:
            _set(lk, "monitor", lk.kit.student(), actor=user)
        assert exc.value.code == "forbidden"
    assert not ClassRole.objects.exists()


def test_the_rules_monitor_is_deputy_and_an_innovation_member(lk):
    a, b, c = (lk.kit.student(name=n) for n in "甲乙丙")
    _set(lk, "monitor", a)
    _set(lk, "deputy", b)
    check = classes.check_roles(lk.class1, {r.role: r for r in ClassRole.objects.all()})
    assert len(check.breaches) == 2 and "甲" in check.breaches[0]
    _set(lk, "deputy", a)
    _set(lk, "innovation", c)
    check = classes.check_roles(lk.class1, {r.role: r for r in ClassRole.objects.all()})
    assert check.ok


def test_compliance_row_counts_breaching_classes_once_roles_are_recorded(chartered):
    from tests.linkage.conftest import LinkageKit

    lk = LinkageKit(chartered)
    day = lk.term.start + dt.timedelta(days=3)
    s = union_structure(chartered.school_union, day)
    assert [r for r in union_rules(s, chartered.charter.parsed) if r.key == "class_league"] == []
    a, b = lk.kit.student(name="甲"), lk.kit.student(name="乙")
    _set(lk, "monitor", a)
    _set(lk, "deputy", a)
    _set(lk, "innovation", b)
    s = union_structure(chartered.school_union, day)
    (row,) = [r for r in union_rules(s, chartered.charter.parsed) if r.key == "class_league"]
    # class1 holds; class2 and class3 have no roles recorded and break both rules
    assert (row.actual, row.ok) == (2, False)
    assert sorted(name.split("（")[0] for name in row.bodies) == ["机电2001", "软件2002"]
    college_union = chartered.college.union
    s = union_structure(college_union, day)
    assert not [r for r in union_rules(s, chartered.charter.parsed) if r.key == "class_league"]


def test_joint_meeting_needs_date_attendees_decisions(lk):
    with pytest.raises(DomainError) as exc:
        classes.joint_meeting_record(
            actor=lk.sec1,
            class_group=lk.class1,
            held_on=dt.date(2020, 9, 1),
            attendees="",
            decisions="x",
        )
    assert exc.value.field == "attendees"
    with pytest.raises(DomainError) as exc:
        classes.joint_meeting_record(
            actor=lk.sec1,
            class_group=lk.class1,
            held_on=dt.date(2030, 9, 1),
            attendees="a",
            decisions="x",
            today=dt.date(2026, 1, 1),
        )
    assert exc.value.field == "held_on"
    m = classes.joint_meeting_record(
        actor=lk.sec1,
        class_group=lk.class1,
        held_on=dt.date(2020, 9, 1),
        attendees="全体班委",
        decisions="推荐代表",
    )
    assert JointMeeting.objects.get() == m
    assert AuditEvent.objects.filter(action="linkage.joint_meeting.recorded").count() == 1


def test_compliance_page_and_class_page_name_the_breach(client, chartered):
    from django.urls import reverse

    from tests.linkage.conftest import LinkageKit

    lk = LinkageKit(chartered)
    a = lk.kit.student(name="班长甲")
    _set(lk, "monitor", a)
    client.force_login(lk.student)
    page = client.get(
        reverse("charter:compliance", args=["tst"]), {"date": lk.term.start.isoformat()}
    ).content.decode()
    assert "软件2001（" in page and "机电2001（" in page
    client.force_login(lk.col1)
    page = client.get(reverse("linkage:class", args=["tst", lk.class1.pk])).content.decode()
    assert "班长甲" in page and 'class="msg error" id="class-rules"' in page
