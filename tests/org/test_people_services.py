"""Staff records, role grants, logins and passwords through the services: rights, scopes,
audit events and what a granted user then sees."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher

from tests.org.people_kit import second_college, staff_user
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org.access import build_viewer
from tuanxue.org.models import AccountState, Role, RoleGrant, StaffPerson
from tuanxue.org.people import accounts, services
from tuanxue.org.people.hashers import ALGORITHM

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_time_hasher(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "tuanxue.org.people.hashers.OneTimePasswordHasher",
    ]


# -- staff -----------------------------------------------------------------------------------


def test_staff_create_and_update_are_audited(kit):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    person = services.staff_create(
        actor=league,
        school=kit.school,
        staff_no="T9001",
        name="李老师",
        unit="信息学院",
        phone="138 0000 1111",
        email="LI@Example.edu.cn",
        college=kit.college,
    )
    assert (person.phone, person.email) == ("13800001111", "li@example.edu.cn")
    created = AuditEvent.objects.get(action="org.staff.created")
    assert created.new["staff_no"] == "T9001" and created.new["college"] == "信息学院"
    services.staff_update(actor=league, person=person, position="团委书记", phone="020-12345678")
    person.refresh_from_db()
    assert person.position == "团委书记"
    updated = AuditEvent.objects.get(action="org.staff.updated")
    assert updated.old == {"position": "", "phone": "13800001111"}
    assert updated.new == {"position": "团委书记", "phone": "020-12345678"}
    assert verify_chain(kit.school) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"staff_no": " "}, "staff_no"),
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_staff_input_names_the_field_and_writes_nothing(kit, changes, field):
    values = {"staff_no": "T1", "name": "赵老师", "unit": "教务处", **changes}
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        services.staff_create(actor=None, school=kit.school, **values)
    assert caught.value.field == field
    assert StaffPerson.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_duplicate_staff_number_is_refused(kit):
    services.staff_create(actor=None, school=kit.school, staff_no="T1", name="甲", unit="教务处")
    with pytest.raises(DomainError, match="T1"):
        services.staff_create(
            actor=None, school=kit.school, staff_no="T1", name="乙", unit="教务处"
        )


def test_only_registry_managers_edit_staff(kit):
    with pytest.raises(DomainError) as caught:
        services.staff_create(
            actor=kit.user(role=Role.COLLEGE_LEAGUE),
            school=kit.school,
            staff_no="T1",
            name="甲",
            unit="教务处",
        )
    assert caught.value.code == "forbidden"


# -- grants ----------------------------------------------------------------------------------


def test_granted_teacher_sees_the_school_and_the_grant_is_audited(kit):
    grantee = staff_user(kit, name="周老师")
    # The staff record puts the teacher in the school; the role makes them the committee.
    before = build_viewer(grantee)
    assert before.school == kit.school and not before.may_manage
    grant = services.role_grant_give(
        actor=None, school=kit.school, user=grantee, role=Role.SCHOOL_LEAGUE
    )
    viewer = build_viewer(grantee)
    assert viewer.may_manage and Role.SCHOOL_LEAGUE in viewer.roles
    event = AuditEvent.objects.get(action="org.role.granted")
    assert event.target_id == str(grant.pk) and event.new["role"] == Role.SCHOOL_LEAGUE


def test_duplicate_grant_is_refused(kit):
    user = staff_user(kit)
    services.role_grant_give(actor=None, school=kit.school, user=user, role=Role.STUDENT_AFFAIRS)
    with pytest.raises(DomainError, match=user.username) as caught:
        services.role_grant_give(
            actor=None, school=kit.school, user=user, role=Role.STUDENT_AFFAIRS
        )
    assert caught.value.field == "role"
    assert RoleGrant.objects.filter(user=user).count() == 1


def test_the_constraint_holds_without_the_check(kit):
    """The database itself refuses a second open grant in the same scope."""
    from django.db import IntegrityError, transaction

    user = staff_user(kit)
    RoleGrant.objects.create(
        user=user, role=Role.COLLEGE_LEAGUE, school=kit.school, college=kit.college
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(
            user=user, role=Role.COLLEGE_LEAGUE, school=kit.school, college=kit.college
        )


def test_scopes_are_checked(kit, other_kit):
    user = staff_user(kit)
    other_college, other_class = second_college(kit)
    cases = [
        ({"role": Role.COLLEGE_LEAGUE}, "college"),
        ({"role": Role.SCHOOL_LEAGUE, "college": kit.college}, "college"),
        ({"role": Role.LEAGUE_BRANCH}, "class_group"),
        (
            {"role": Role.LEAGUE_BRANCH, "college": kit.college, "class_group": other_class},
            "class_group",
        ),
        ({"role": Role.COLLEGE_PARTY, "college": other_kit.college}, "college"),
        ({"role": Role.FEDERATION}, "role"),
        ({"role": Role.UNION_MEMBER}, "role"),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as caught:
            services.role_grant_give(actor=None, school=kit.school, user=user, **kwargs)
        assert caught.value.field == field, kwargs
    assert not RoleGrant.objects.filter(user=user).exists()
    with pytest.raises(DomainError) as caught:
        services.role_grant_give(
            actor=None,
            school=kit.school,
            user=user,
            role=Role.LEAGUE_BRANCH,
            class_group=other_class,
        )
    assert caught.value.field == "user"  # a teacher is not one of the class's students
    secretary = get_user_model().objects.create_user("secretary", password="x")
    kit.student(
        user=secretary, college=other_college, major=other_class.major, class_group=other_class
    )
    grant = services.role_grant_give(
        actor=None,
        school=kit.school,
        user=secretary,
        role=Role.LEAGUE_BRANCH,
        college=other_college,
        class_group=other_class,
    )
    assert grant.class_group == other_class and grant.college is None


def test_a_person_of_another_school_cannot_be_granted(kit, other_kit):
    outsider = staff_user(other_kit)
    with pytest.raises(DomainError) as caught:
        services.role_grant_give(
            actor=None, school=kit.school, user=outsider, role=Role.STUDENT_AFFAIRS
        )
    assert caught.value.field == "user"


def test_college_league_grants_only_its_college(kit):
    other_college, other_class = second_college(kit)
    college_league = kit.user(role=Role.COLLEGE_LEAGUE)  # for kit.college
    student_user = get_user_model().objects.create_user("s-branch", password="x")
    kit.student(user=student_user)
    grant = services.role_grant_give(
        actor=college_league,
        school=kit.school,
        user=student_user,
        role=Role.LEAGUE_BRANCH,
        class_group=kit.class_group,
    )
    assert build_viewer(student_user).branch_class_ids() == {kit.class_group.pk}
    teacher = staff_user(kit)
    services.role_grant_give(
        actor=college_league,
        school=kit.school,
        user=teacher,
        role=Role.COLLEGE_PARTY,
        college=kit.college,
    )
    for kwargs in (
        {"role": Role.LEAGUE_BRANCH, "class_group": other_class},
        {"role": Role.COLLEGE_LEAGUE, "college": other_college},
        {"role": Role.STUDENT_AFFAIRS},
    ):
        with pytest.raises(DomainError) as caught:
            services.role_grant_give(
                actor=college_league, school=kit.school, user=teacher, **kwargs
            )
        assert caught.value.code == "forbidden", kwargs
    services.role_grant_withdraw(actor=college_league, grant=grant)
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert AuditEvent.objects.filter(action="org.role.revoked", target_id=str(grant.pk)).exists()
    # Revoked, the same grant can be given again.
    services.role_grant_give(
        actor=college_league,
        school=kit.school,
        user=student_user,
        role=Role.LEAGUE_BRANCH,
        class_group=kit.class_group,
    )


def test_student_affairs_cannot_grant(kit):
    with pytest.raises(DomainError) as caught:
        services.role_grant_give(
            actor=kit.user(role=Role.STUDENT_AFFAIRS),
            school=kit.school,
            user=staff_user(kit),
            role=Role.SCHOOL_PARTY,
        )
    assert caught.value.code == "forbidden"


# -- accounts --------------------------------------------------------------------------------


def test_accounts_for_students_are_linked_and_must_change(kit, one_time_hasher):
    students = [kit.student() for _ in range(3)]
    get_user_model().objects.create_user(username=students[2].student_no, password="x")
    result = accounts.accounts_create(actor=None, school=kit.school, people="students")
    assert result.created == 2 and result.taken == [(students[2].student_no, students[2].name)]
    for student, login in zip(students[:2], result.logins, strict=True):
        student.refresh_from_db()
        assert student.user.username == student.student_no == login.username
        assert identify_hasher(student.user.password).algorithm == ALGORITHM
        assert student.user.check_password(login.password)
        assert AccountState.objects.get(user=student.user).must_change_password
    # The first successful login re-hashes with the default hasher.
    assert identify_hasher(students[0].user.password).algorithm == "md5"
    students[2].refresh_from_db()
    assert students[2].user is None  # never linked blindly
    event = AuditEvent.objects.get(action="org.accounts.created")
    assert event.new["created"] == 2 and event.new["skipped_taken"] == [students[2].student_no]
    assert not any(login.password in str(event.new) for login in result.logins)
    again = accounts.accounts_create(actor=None, school=kit.school, people="students")
    assert again.created == 0 and again.already == 2


def test_college_league_creates_only_its_college(kit):
    other_college, _other_class = second_college(kit)
    college_league = kit.user(role=Role.COLLEGE_LEAGUE)
    kit.student()
    with pytest.raises(DomainError) as caught:
        accounts.accounts_create(
            actor=college_league, school=kit.school, people="students", college=other_college
        )
    assert caught.value.code == "forbidden"
    for people, college in (("students", None), ("staff", None)):
        with pytest.raises(DomainError):
            accounts.accounts_create(
                actor=college_league, school=kit.school, people=people, college=college
            )
    result = accounts.accounts_create(
        actor=college_league, school=kit.school, people="students", college=kit.college
    )
    assert result.created == 1


def test_class_must_belong_to_the_college(kit):
    _, other_class = second_college(kit)
    with pytest.raises(DomainError) as caught:
        accounts.accounts_create(
            actor=None,
            school=kit.school,
            people="students",
            college=kit.college,
            class_group=other_class,
        )
    assert caught.value.field == "class_group"


def test_staff_accounts_carry_the_email(kit):
    StaffPerson.objects.create(
        school=kit.school, staff_no="T77", name="钱老师", unit="教务处", email="qian@example.edu.cn"
    )
    result = accounts.accounts_create(actor=None, school=kit.school, people="staff")
    assert [(x.group, x.username) for x in result.logins] == [("教务处", "T77")]
    assert get_user_model().objects.get(username="T77").email == "qian@example.edu.cn"


def test_link_moves_an_account_and_refuses_a_linked_record(kit):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    user = get_user_model().objects.create_user("zhang", password="x")
    first, second = kit.student(user=user), kit.student()
    accounts.account_link(actor=league, school=kit.school, user=user, student=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.user is None and second.user == user
    event = AuditEvent.objects.get(action="org.account.linked")
    assert event.old["student"] == first.student_no and event.new["student"] == second.student_no
    other = get_user_model().objects.create_user("li", password="x")
    with pytest.raises(DomainError, match=second.name) as caught:
        accounts.account_link(actor=league, school=kit.school, user=other, student=second)
    assert caught.value.field == "record"


def test_reset_by_office_forces_a_change_and_is_audited(kit, one_time_hasher):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    user = kit.user(student=True)
    raw = accounts.password_reset_by_office(actor=league, school=kit.school, user=user)
    user.refresh_from_db()
    assert user.check_password(raw) and not user.check_password("pw-Tuanxue-1")
    assert accounts.must_change_password(user)
    event = AuditEvent.objects.get(action="org.account.password_reset")
    assert raw not in str(event.new)
    accounts.password_change(actor=user, user=user, password="a-new-Secret-42")
    assert not accounts.must_change_password(user)
    assert AuditEvent.objects.filter(action="org.account.password_changed").exists()


def test_reset_refuses_superusers_and_other_colleges(kit, other_kit):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    root = get_user_model().objects.create_superuser("root", password="x")
    with pytest.raises(DomainError):
        accounts.password_reset_by_office(actor=league, school=kit.school, user=root)
    with pytest.raises(DomainError):
        accounts.password_reset_by_office(
            actor=league, school=kit.school, user=other_kit.user(student=True)
        )
    other_college, other_class = second_college(kit)
    college_league = kit.user(role=Role.COLLEGE_LEAGUE)
    elsewhere = get_user_model().objects.create_user("elsewhere", password="x")
    kit.student(user=elsewhere, college=other_college, class_group=other_class)
    with pytest.raises(DomainError) as caught:
        accounts.password_reset_by_office(actor=college_league, school=kit.school, user=elsewhere)
    assert caught.value.code == "forbidden"
    accounts.password_reset_by_office(
        actor=college_league, school=kit.school, user=kit.user(student=True)
    )


def test_college_league_cannot_take_over_a_school_office(kit):
    """A college teacher who also holds a school role is out of the college committee's reach."""
    college_league = kit.user(role=Role.COLLEGE_LEAGUE)
    teacher = staff_user(kit, college=kit.college)
    services.role_grant_give(actor=None, school=kit.school, user=teacher, role=Role.SCHOOL_LEAGUE)
    with pytest.raises(DomainError) as caught:
        accounts.password_reset_by_office(actor=college_league, school=kit.school, user=teacher)
    assert caught.value.code == "forbidden"
    with pytest.raises(DomainError) as caught:
        accounts.account_link(
            actor=college_league, school=kit.school, user=teacher, student=kit.student()
        )
    assert caught.value.code == "forbidden"
    assert accounts.password_reset_by_office(
        actor=kit.user(role=Role.SCHOOL_LEAGUE), school=kit.school, user=teacher
    )
