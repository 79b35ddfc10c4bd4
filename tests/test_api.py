"""The read API: who may read what, token and session authentication, paging, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuanxue.core.api.tokens import token_create, token_revoke
from tuanxue.org import services
from tuanxue.org.models import EndReason, Major, Role, Title

API = "/api/v1"


@pytest.fixture
def staffed(kit):
    """The school union with an executive chair, a department with a minister, a staff member
    and a former staff member, and a college union with one post."""
    presidium = kit.school_union.bodies.get(kind="presidium")
    department = kit.department(name="秘书部", remit="会务与文书")
    chair = kit.student(name="主席甲")
    head = kit.student(name="部长乙")
    staff = kit.student(name="干事丙")
    former = kit.student(name="干事丁")
    kit.post(chair, presidium, Title.EXECUTIVE_CHAIR)
    kit.post(head, department, Title.MINISTER)
    kit.post(staff, department, Title.STAFF)
    old = kit.post(former, department, Title.STAFF, start=dt.date(2019, 9, 1))
    services.membership_end(
        actor=None, membership=old, end=dt.date(2020, 7, 1), reason=EndReason.TERM_END
    )
    college_union = kit.college.union
    college_presidium = college_union.bodies.get(kind="presidium")
    kit.post(kit.student(name="院主席"), college_presidium, Title.CHAIR)
    kit.members = {"chair": chair, "head": head, "staff": staff, "former": former}
    kit.department_obj = department
    kit.college_union = college_union
    return kit


def urls(kit) -> list[str]:
    code = kit.school.code
    union = kit.school_union.pk
    return [
        f"{API}/schools/{code}",
        f"{API}/schools/{code}/colleges",
        f"{API}/schools/{code}/classes",
        f"{API}/schools/{code}/classes?college={kit.college.pk}",
        f"{API}/schools/{code}/unions",
        f"{API}/unions/{union}",
        f"{API}/unions/{union}/departments",
        f"{API}/unions/{union}/memberships",
    ]


def bearer(user, name: str = "test") -> dict:
    _, key = token_create(actor=user, user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


# -- who may read ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["league", "student"])
def test_members_of_the_school_read_every_endpoint(client, staffed, who):
    user = staffed.user(role=Role.SCHOOL_LEAGUE) if who == "league" else staffed.user(student=True)
    client.force_login(user)
    for url in [f"{API}/schools", *urls(staffed)]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert response["Content-Type"].startswith("application/json")


def test_an_outsider_gets_404_everywhere(client, staffed, other_kit):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    for url in urls(staffed):
        assert client.get(url).status_code == 404, url


def test_an_outsider_lists_only_their_own_school(client, staffed, other_kit):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(f"{API}/schools").json() == [{"code": "oth", "name": "另一所学院"}]


def test_anonymous_gets_401_everywhere(client, staffed):
    for url in [f"{API}/schools", *urls(staffed)]:
        response = client.get(url)
        assert response.status_code == 401, url
        body = response.json()
        assert (body["code"], body["detail"]) == ("unauthorized", "Unauthorized")


def test_unknown_records_are_404(client, staffed):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(f"{API}/schools/nope").status_code == 404
    assert client.get(f"{API}/unions/999999").status_code == 404
    assert client.get(f"{API}/unions/999999/memberships").status_code == 404


def test_federation_and_superusers_see_every_school(client, staffed, other_kit):
    federation = other_kit.user(role=Role.FEDERATION)
    superuser = get_user_model().objects.create_superuser("root", password="pw-Tuanxue-1")
    for user in (federation, superuser):
        client.force_login(user)
        codes = [s["code"] for s in client.get(f"{API}/schools").json()]
        assert codes == ["oth", "tst"]
        for url in urls(staffed):
            assert client.get(url).status_code == 200, url


def test_a_college_filter_from_another_school_is_404(client, staffed, other_kit):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    url = f"{API}/schools/{staffed.school.code}/classes?college={other_kit.college.pk}"
    assert client.get(url).status_code == 404


# -- personal data -----------------------------------------------------------------------------


def _numbers(client, kit) -> dict[str, str | None]:
    body = client.get(f"{API}/unions/{kit.school_union.pk}/memberships").json()
    return {m["student"]["name"]: m["student"]["student_no"] for m in body["items"]}


def test_the_league_committee_sees_student_numbers(client, staffed):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    numbers = _numbers(client, staffed)
    assert numbers["干事丙"] == staffed.members["staff"].student_no
    assert all(numbers.values())


def test_a_plain_student_sees_names_but_no_student_numbers(client, staffed):
    client.force_login(staffed.user(student=True))
    numbers = _numbers(client, staffed)
    assert set(numbers) == {"主席甲", "部长乙", "干事丙", "干事丁"}
    assert set(numbers.values()) == {None}
    detail = client.get(f"{API}/unions/{staffed.school_union.pk}").json()
    assert detail["executive_chair"] == {
        "id": staffed.members["chair"].pk,
        "name": "主席甲",
        "student_no": None,
    }


def test_a_student_sees_their_own_number(client, staffed):
    user = staffed.user()
    staff = staffed.members["staff"]
    staff.user = user
    staff.save(update_fields=["user"])
    client.force_login(user)
    numbers = _numbers(client, staffed)
    assert numbers["干事丙"] == staff.student_no
    assert numbers["部长乙"] is None


# -- content -----------------------------------------------------------------------------------


def test_school_detail_and_colleges(client, staffed):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    detail = client.get(f"{API}/schools/tst").json()
    assert detail["code"] == "tst"
    assert detail["union_id"] == staffed.school_union.pk
    assert detail["college_count"] == 1
    assert detail["class_count"] == 1
    assert detail["student_count"] == 5  # the post holders; the League user is no student
    colleges = client.get(f"{API}/schools/tst/colleges").json()
    assert colleges == [
        {
            "id": staffed.college.pk,
            "name": "信息学院",
            "order": 0,
            "union_id": staffed.college_union.pk,
            "class_count": 1,
            "student_count": 5,
        }
    ]


def test_unions_list_the_school_union_first_with_staff_counts(client, staffed):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    unions = client.get(f"{API}/schools/tst/unions").json()
    assert [(u["id"], u["level"], u["staff_total"], u["department_count"]) for u in unions] == [
        (staffed.school_union.pk, "school", 3, 1),
        (staffed.college_union.pk, "college", 1, 0),
    ]
    assert unions[1]["college"] == {"id": staffed.college.pk, "name": "信息学院"}
    # On a day before the current terms began only the former staff member held a post.
    before = client.get(f"{API}/schools/tst/unions?on=2020-01-01").json()
    assert before[0]["staff_total"] == 1


def test_union_detail(client, staffed):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    detail = client.get(f"{API}/unions/{staffed.school_union.pk}").json()
    assert detail["level"] == "school"
    assert detail["school"] == "tst"
    assert detail["college"] is None
    assert detail["staff_total"] == 3
    assert detail["presidium_size"] == 1
    assert detail["executive_chair"]["student_no"] == staffed.members["chair"].student_no


def test_departments_with_remit_kind_and_counts(client, staffed):
    client.force_login(staffed.user(student=True))
    bodies = client.get(f"{API}/unions/{staffed.school_union.pk}/departments").json()
    assert [(b["kind"]["code"], b["member_count"], b["head_count"]) for b in bodies] == [
        ("presidium", 1, 0),
        ("department", 2, 1),
    ]
    assert bodies[1]["name"] == "秘书部"
    assert bodies[1]["remit"] == "会务与文书"
    assert bodies[1]["kind"]["label"]


def test_membership_fields(client, staffed):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    body = client.get(f"{API}/unions/{staffed.school_union.pk}/memberships").json()
    former = next(m for m in body["items"] if m["student"]["name"] == "干事丁")
    assert former["union"] == staffed.school_union.pk
    assert former["body"] == {"id": staffed.department_obj.pk, "name": "秘书部"}
    assert former["title"]["code"] == "staff"
    assert former["title"]["label"]
    assert former["start"] == "2019-09-01"
    assert former["end"] == "2020-07-01"
    assert former["end_reason"]["code"] == "term_end"
    assert former["from_college_union"] is False
    current = next(m for m in body["items"] if m["student"]["name"] == "干事丙")
    assert current["end"] is None
    assert current["end_reason"] is None


def test_membership_filters(client, staffed):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    base = f"{API}/unions/{staffed.school_union.pk}/memberships"

    def names(query: str = "") -> set[str]:
        return {m["student"]["name"] for m in client.get(base + query).json()["items"]}

    everyone = {"主席甲", "部长乙", "干事丙", "干事丁"}
    assert names() == everyone
    assert names("?active=true") == everyone - {"干事丁"}
    assert names("?active=false") == {"干事丁"}
    assert names("?on=2020-01-01") == {"干事丁"}
    assert names("?on=2020-01-01&active=false") == everyone - {"干事丁"}
    assert names("?on=2019-01-01") == set()
    assert client.get(base + "?on=yesterday").status_code == 422


def test_from_college_union_marks_earlier_college_posts(client, staffed):
    student = staffed.student(name="院转校")
    college_presidium = staffed.college_union.bodies.get(kind="presidium")
    staffed.post(student, college_presidium, Title.VICE_CHAIR, start=dt.date(2019, 9, 1))
    staffed.post(student, staffed.department_obj, Title.STAFF, start=dt.date(2021, 9, 1))
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    body = client.get(f"{API}/unions/{staffed.school_union.pk}/memberships").json()
    marks = {m["student"]["name"]: m["from_college_union"] for m in body["items"]}
    assert marks["院转校"] is True
    assert marks["干事丙"] is False


# -- paging and query counts -------------------------------------------------------------------


def test_classes_are_paged_and_filtered(client, kit):
    college2 = services.college_create(actor=None, school=kit.school, name="机电学院", order=1)
    major2 = Major.objects.create(school=kit.school, college=college2, name="机电一体化")
    for i in range(52):
        services.class_group_create(
            actor=None,
            school=kit.school,
            college=college2,
            major=major2,
            name=f"机电{i:02d}",
            grade=2021,
        )
    client.force_login(kit.user(student=True))
    url = f"{API}/schools/tst/classes"
    first = client.get(url).json()
    assert (first["count"], first["page"], first["pages"], len(first["items"])) == (53, 1, 2, 50)
    assert first["items"][0]["name"] == "软件2001"  # the first college comes first
    second = client.get(url + "?page=2").json()
    assert (second["page"], len(second["items"])) == (2, 3)
    ids = {c["id"] for c in first["items"]} | {c["id"] for c in second["items"]}
    assert len(ids) == 53
    assert client.get(url + "?page=3").json()["items"] == []
    assert client.get(url + "?page=0").status_code == 422
    only = client.get(f"{url}?college={kit.college.pk}").json()
    assert only["count"] == 1
    assert only["items"][0]["college"] == {"id": kit.college.pk, "name": "信息学院"}
    assert only["items"][0]["student_count"] == 1


def _fill_department(kit, department, n: int) -> None:
    for _ in range(n):
        kit.post(kit.student(), department, Title.STAFF)


def test_memberships_are_paged(client, staffed):
    _fill_department(staffed, staffed.department_obj, 60)
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    url = f"{API}/unions/{staffed.school_union.pk}/memberships"
    first = client.get(url).json()
    second = client.get(url + "?page=2").json()
    assert (first["count"], first["pages"], len(first["items"])) == (64, 2, 50)
    assert len(second["items"]) == 14
    ids = [m["id"] for m in first["items"] + second["items"]]
    assert len(set(ids)) == 64


def test_memberships_query_count_is_bounded(client, staffed, django_assert_max_num_queries):
    user = staffed.user(role=Role.SCHOOL_LEAGUE)
    headers = bearer(user)
    url = f"{API}/unions/{staffed.school_union.pk}/memberships"

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **headers).status_code == 200
        return len(ctx.captured_queries)

    count_queries()  # the token's first use records last_used_at; later ones write nothing
    few = count_queries()
    _fill_department(staffed, staffed.department_obj, 60)
    many = count_queries()
    assert many == few
    with django_assert_max_num_queries(12):
        body = client.get(url, **headers).json()
    assert len(body["items"]) == 50


def test_list_query_counts_do_not_grow_with_rows(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    urls_ = [
        f"{API}/schools/tst/classes",
        f"{API}/schools/tst/unions",
        f"{API}/schools/tst/colleges",
    ]

    def counts() -> list[int]:
        out = []
        for url in urls_:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    for i in range(3):
        college = services.college_create(actor=None, school=kit.school, name=f"学院{i}")
        major = Major.objects.create(school=kit.school, college=college, name=f"专业{i}")
        services.class_group_create(
            actor=None, school=kit.school, college=college, major=major, name=f"班{i}", grade=2022
        )
    assert counts() == before


# -- tokens ------------------------------------------------------------------------------------


def test_a_bearer_token_authenticates(client, staffed):
    user = staffed.user(role=Role.SCHOOL_LEAGUE)
    headers = bearer(user)
    assert client.get(f"{API}/schools", **headers).json() == [
        {"code": "tst", "name": "测试职业技术学院"}
    ]
    for url in urls(staffed):
        assert client.get(url, **headers).status_code == 200, url
    user.api_tokens.get().refresh_from_db()
    assert user.api_tokens.get().last_used_at is not None


def test_a_bearer_token_follows_its_users_rights(client, staffed, other_kit):
    headers = bearer(other_kit.user(role=Role.SCHOOL_LEAGUE))
    for url in urls(staffed):
        assert client.get(url, **headers).status_code == 404, url


def test_wrong_and_revoked_tokens_are_401(client, staffed):
    user = staffed.user(role=Role.SCHOOL_LEAGUE)
    token, key = token_create(actor=user, user=user, name="soon revoked")
    url = f"{API}/schools/tst"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token_revoke(actor=user, token=token)
    for value in (f"Bearer {key}", f"Bearer {key}x", "Bearer txk_nothing", "Bearer "):
        response = client.get(url, HTTP_AUTHORIZATION=value)
        assert response.status_code == 401, value
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_refused_even_with_a_session(client, staffed):
    client.force_login(staffed.user(role=Role.SCHOOL_LEAGUE))
    response = client.get(f"{API}/schools/tst", HTTP_AUTHORIZATION="Bearer txk_wrong")
    assert response.status_code == 401


def test_a_token_of_an_inactive_user_is_401(client, staffed):
    user = staffed.user(role=Role.SCHOOL_LEAGUE)
    headers = bearer(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(f"{API}/schools", **headers).status_code == 401


# -- the document ------------------------------------------------------------------------------


def test_the_openapi_document_validates(client, db):
    from openapi_spec_validator import validate

    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["info"]["title"] == "Tuanxue API"
    assert spec["info"]["version"] == "1"
    assert set(spec["components"]["securitySchemes"]) == {"BearerToken", "SessionAuth"}
    paths = spec["paths"]
    assert f"{API}/unions/{{union_id}}/memberships" in paths
    page = spec["components"]["schemas"]["MembershipPage"]
    assert set(page["properties"]) == {"items", "count", "page", "pages"}
    assert set(paths[f"{API}/schools/{{code}}/classes"]["get"]["responses"]) >= {
        "200",
        "401",
        "404",
    }


def test_docs_page_loads_no_asset_from_the_internet(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger" in body.lower()
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()


def test_api_docs_page_loads_nothing_from_elsewhere(client, db):
    import re

    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.content.decode())
    assert assets, "the page links its script and style"
    for asset in assets:
        assert asset.startswith("/static/"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
