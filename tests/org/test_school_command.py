import io

import pytest
from django.core.management import CommandError, call_command

from tuanxue.core.audit import verify_chain
from tuanxue.core.models import AuditEvent, School
from tuanxue.org.models import BodyKind, Union


def run(*args) -> str:
    out = io.StringIO()
    call_command("school", *args, stdout=out)
    return out.getvalue()


def test_add_creates_the_school_with_its_union(db):
    text = run("add", "gdgm", "广东工贸职业技术学院")
    assert "gdgm" in text
    school = School.objects.get(code="gdgm")
    assert school.name == "广东工贸职业技术学院"
    union = Union.objects.get(school=school, college__isnull=True)
    assert union.bodies.filter(kind=BodyKind.PRESIDIUM).count() == 1
    assert AuditEvent.objects.filter(school=school, action="org.school.created").exists()
    assert verify_chain(school) == []


def test_add_normalises_the_code(db):
    run("add", "  GDGM ", "广东工贸职业技术学院")
    assert School.objects.filter(code="gdgm").exists()


def test_add_refuses_a_taken_code(db):
    run("add", "gdgm", "广东工贸职业技术学院")
    with pytest.raises(CommandError, match="gdgm"):
        run("add", "gdgm", "另一所学院")
    assert School.objects.filter(code="gdgm").count() == 1


@pytest.mark.parametrize("code", ["广工", "gd gm", "-gdgm", "g" * 33, "gd_gm"])
def test_add_refuses_a_malformed_code(db, code):
    with pytest.raises(CommandError):
        run("add", code, "某某学院")
    assert not School.objects.exists()


def test_add_refuses_an_empty_name(db):
    with pytest.raises(CommandError):
        run("add", "abc", "  ")
    assert not School.objects.exists()


def test_list_shows_every_school(db):
    assert "还没有学校" in run("list")
    run("add", "gdgm", "广东工贸职业技术学院")
    run("add", "oth", "另一所学院")
    lines = run("list").splitlines()
    assert [line.split("\t")[0] for line in lines] == ["gdgm", "oth"]
    assert "广东工贸职业技术学院" in lines[0]
    assert "0 个学院" in lines[0] and "0 名学生" in lines[0]


def test_an_action_is_required(db):
    with pytest.raises(CommandError):
        call_command("school")
