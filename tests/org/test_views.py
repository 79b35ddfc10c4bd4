"""Every registry page for an allowed role, a read-only role and an outsider."""

import pytest
from django.urls import reverse

from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role, Title


@pytest.fixture
def staffed(kit):
    """A school union with a presidium member and a department with a head and a staff member."""
    presidium = kit.school_union.bodies.get(kind="presidium")
    department = kit.department()
    chair = kit.student(name="主席甲")
    head = kit.student(name="部长乙")
    staff = kit.student(name="干事丙", phone="13900000001")
    kit.post(chair, presidium, Title.EXECUTIVE_CHAIR)
    kit.post(head, department, Title.MINISTER)
    kit.post(staff, department, Title.STAFF)
    kit.members = {"chair": chair, "head": head, "staff": staff}
    return kit


def login(client, user):
    client.force_login(user)
    return client


def pages(kit):
    code = kit.school.code
    union = kit.school_union
    student = kit.members["staff"]
    return [
        reverse("org:school_home", args=[code]),
        reverse("org:structure", args=[code]),
        reverse("org:union", args=[code, union.pk]),
        reverse("org:colleges", args=[code]),
        reverse("org:college", args=[code, kit.college.pk]),
        reverse("org:student", args=[code, student.pk]),
    ]


@pytest.mark.parametrize("role", [Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS, Role.COLLEGE_LEAGUE])
def test_staff_roles_see_every_page(client, staffed, role):
    login(client, staffed.user(role=role))
    for url in pages(staffed):
        assert client.get(url).status_code == 200, url


def test_a_student_sees_the_structure_but_no_personal_data(client, staffed):
    login(client, staffed.user(student=True))
    for url in pages(staffed):
        assert client.get(url).status_code == 200, url
    page = client.get(
        reverse("org:student", args=[staffed.school.code, staffed.members["staff"].pk])
    )
    body = page.content.decode()
    assert "干事丙" in body
    assert "13900000001" not in body
    assert staffed.members["staff"].student_no not in body
    # The student roster and the audit log are not for students.
    assert client.get(reverse("org:students", args=[staffed.school.code])).status_code == 404
    assert client.get(reverse("org:audit", args=[staffed.school.code])).status_code == 403


def test_a_student_cannot_open_a_non_member_classmate(client, staffed):
    login(client, staffed.user(student=True))
    other = staffed.student(name="路人丁")
    url = reverse("org:student", args=[staffed.school.code, other.pk])
    assert client.get(url).status_code == 404


def test_a_student_sees_their_own_personal_data(client, staffed):
    user = staffed.user()
    me = staffed.student(name="本人", user=user, phone="13700000009")
    login(client, user)
    body = client.get(reverse("org:student", args=[staffed.school.code, me.pk])).content.decode()
    assert "13700000009" in body


def test_structure_counts(client, staffed):
    login(client, staffed.user(role=Role.SCHOOL_LEAGUE))
    body = client.get(reverse("org:structure", args=[staffed.school.code])).content.decode()
    assert 'data-figure="staff_total">3<' in body
    assert 'data-figure="presidium_size">1<' in body
    assert 'data-figure="department_count">1<' in body


def test_outsiders_get_404_everywhere(client, staffed, other_kit):
    login(client, other_kit.user(role=Role.SCHOOL_LEAGUE))
    for url in [*pages(staffed), reverse("org:students", args=[staffed.school.code])]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("org:audit", args=[staffed.school.code])).status_code == 404


def test_anonymous_users_are_sent_to_login(client, staffed):
    for url in pages(staffed):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_federation_sees_every_school(client, staffed, other_kit):
    user = staffed.user(role=Role.FEDERATION)
    login(client, user)
    for url in pages(staffed):
        assert client.get(url).status_code == 200
    assert client.get(reverse("org:structure", args=[other_kit.school.code])).status_code == 200


def test_roster_search_and_scope(client, staffed, other_kit):
    login(client, staffed.user(role=Role.SCHOOL_LEAGUE))
    url = reverse("org:students", args=[staffed.school.code])
    body = client.get(url, {"q": "部长"}).content.decode()
    assert "部长乙" in body and "干事丙" not in body
    empty = client.get(url, {"q": "不存在"}).content.decode()
    assert 'class="empty"' in empty and "不存在" in empty


def test_roster_list_has_bounded_queries(client, staffed, django_assert_max_num_queries):
    for _ in range(30):
        staffed.student()
    login(client, staffed.user(role=Role.SCHOOL_LEAGUE))
    url = reverse("org:students", args=[staffed.school.code])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_league_branch_sees_only_its_class(client, staffed):
    from tuanxue.org import services

    other_class = services.class_group_create(
        actor=None,
        school=staffed.school,
        college=staffed.college,
        major=staffed.major,
        name="软件2002",
        grade=2020,
    )
    outsider = staffed.student(name="隔壁班", class_group=other_class)
    login(client, staffed.user(role=Role.LEAGUE_BRANCH))
    body = client.get(reverse("org:students", args=[staffed.school.code])).content.decode()
    assert "干事丙" in body and "隔壁班" not in body
    url = reverse("org:student", args=[staffed.school.code, outsider.pk])
    assert client.get(url).status_code == 404


def test_audit_pages(client, staffed):
    login(client, staffed.user(role=Role.SCHOOL_LEAGUE))
    code = staffed.school.code
    assert client.get(reverse("org:audit", args=[code])).status_code == 200
    event = AuditEvent.objects.filter(
        school=staffed.school, action="org.membership.created"
    ).first()
    url = reverse("org:history", args=[code, event.target_type, event.target_id])
    response = client.get(url)
    assert response.status_code == 200
    assert "org.membership.created" in response.content.decode()
    assert (
        client.get(reverse("org:history", args=[code, "org.student", "999999"])).status_code == 404
    )


def test_school_party_reads_audit_but_cannot_manage(client, staffed):
    login(client, staffed.user(role=Role.SCHOOL_PARTY))
    code = staffed.school.code
    assert client.get(reverse("org:audit", args=[code])).status_code == 200
    assert client.get(reverse("org:imports", args=[code])).status_code == 403


def test_home_redirects_to_the_school(client, staffed):
    login(client, staffed.user(student=True))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("org:school_home", args=[staffed.school.code])


def test_home_for_a_user_without_school(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("lonely", password="x")
    login(client, user)
    assert client.get("/").status_code == 200


def test_english_is_available(client, staffed):
    login(client, staffed.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("org:structure", args=[staffed.school.code])).content.decode()
    assert "Departments" in body


def test_a_post_holder_has_the_roles_of_the_post(staffed):
    from tuanxue.org.access import build_viewer

    user = staffed.user()
    staffed.members["head"].user = user
    staffed.members["head"].save()
    assert {Role.STUDENT, Role.UNION_MEMBER, Role.DEPARTMENT_HEAD} <= build_viewer(user).roles
