"""The API's one error shape and its document: every refusal has ``code`` and ``detail``, every
operation lists the statuses it can answer with that shape, and every constraint is stated."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router
from ninja.testing import TestClient

from tuanxue.core.api.errors import TuanxueAPI, status_for
from tuanxue.core.api.tokens import token_create
from tuanxue.core.api.types import MAX_ID, TEXT_PATTERN, IsoDate, PathId
from tuanxue.core.errors import DomainError

API = "/api/v1"


def bearer(user) -> dict:
    _token, key = token_create(actor=None, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def staff(kit):
    return kit.user("errors-staff", role="school_league")


def test_a_validation_error_is_422_invalid_with_the_field_errors(client, kit, staff):
    response = client.get(f"{API}/unions/-1", **bearer(staff))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == "union_id"
    assert "union_id" in body["detail"]
    assert [(e["field"], e["type"]) for e in body["errors"]] == [("union_id", "greater_than_equal")]


@pytest.mark.parametrize("value", ["-5.7e-116", "0", "1700000000", "2026-13-01", "2026-1-1"])
def test_a_day_is_an_iso_date_string_only(client, kit, staff, value):
    response = client.get(f"{API}/schools/{kit.school.code}/unions?on={value}", **bearer(staff))
    assert response.status_code == 422, value
    assert response.json()["field"] == "on"


def test_an_iso_day_is_accepted(client, kit, staff):
    response = client.get(f"{API}/schools/{kit.school.code}/unions?on=2026-09-01", **bearer(staff))
    assert response.status_code == 200


def test_a_body_that_is_not_json_is_400_bad_request(client, kit, staff):
    url = f"{API}/polls/1/ballots"
    response = client.post(url, "{not json", content_type="application/json", **bearer(staff))
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert response.json()["detail"]


def test_not_found_and_unauthorized_have_codes(client, kit, staff):
    missing = client.get(f"{API}/unions/{MAX_ID}", **bearer(staff))
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    anonymous = client.get(f"{API}/unions/1")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthorized")
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_id_too_large_for_the_database_is_422_not_a_crash(client, kit, staff):
    response = client.get(f"{API}/unions/{MAX_ID + 1}", **bearer(staff))
    assert (response.status_code, response.json()["field"]) == (422, "union_id")


def test_a_nul_character_is_422_not_a_database_error(client, kit, staff):
    # PostgreSQL cannot compare text holding NUL: the document forbids it and so does the API.
    response = client.get(f"{API}/schools/a%00b", **bearer(staff))
    assert (response.status_code, response.json()["field"]) == (422, "code")


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("forbidden", 403),
        ("not_a_delegate", 403),
        ("not_found", 404),
        ("closed", 409),
        ("duplicate", 409),
        ("stale", 409),
        ("state", 409),
        ("already_voted", 409),
        ("invalid", 422),
        ("anything_else", 422),
    ],
)
def test_domain_codes_map_to_statuses(code, status):
    assert status_for(code) == status


def test_a_new_router_complies_by_default():
    """A router written the plain way (no error responses declared, raising the project's
    exceptions) gets the error shape and a document listing every status it can answer."""
    router = Router()

    @router.post("/things/{thing_id}", response={201: dict}, operation_id="thing_do")
    def thing_do(request, thing_id: PathId, day: IsoDate, mode: str = "a"):
        if mode == "forbidden":
            raise PermissionDenied
        if mode == "missing":
            raise Http404
        raise DomainError("No.", code=mode, field="mode")

    api = TuanxueAPI(urls_namespace="thing-test")
    api.add_router("/", router)
    client = TestClient(api)

    def call(mode, thing=1, day="2026-09-01"):
        return client.post(f"/things/{thing}?day={day}&mode={mode}")

    assert (call("forbidden").status_code, call("forbidden").json()["code"]) == (403, "forbidden")
    missing = call("missing").json()
    assert missing == {
        "code": "not_found",
        "detail": missing["detail"],
        "field": None,
        "errors": [],
    }
    assert missing["detail"]
    assert (call("closed").status_code, call("closed").json()["field"]) == (409, "mode")
    assert call("invalid").status_code == 422
    assert call("invalid", thing=0).json()["errors"][0]["field"] == "thing_id"
    assert call("invalid", day="12").json()["errors"][0]["field"] == "day"

    operation = api.get_openapi_schema(path_prefix="")["paths"]["/things/{thing_id}"]["post"]
    assert {str(s) for s in operation["responses"]} == {"201", "404", "422"}
    for status in ("404", "422"):
        schema = operation["responses"][int(status)]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    params = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert (params["thing_id"]["minimum"], params["thing_id"]["maximum"]) == (1, MAX_ID)
    assert params["day"]["format"] == "date" and params["day"]["pattern"]


def test_every_operation_documents_its_errors_with_the_one_shape(client, db):
    spec = client.get(f"{API}/openapi.json").json()
    assert set(spec["components"]["schemas"]["ErrorOut"]["required"]) == {"code", "detail"}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            label = f"{method.upper()} {path}"
            if operation.get("security"):  # a public operation (the voice board) has no 401
                assert "401" in responses, label
            if "{" in path:
                assert {"404", "422"} <= set(responses), label
            if "requestBody" in operation:
                assert {"400", "403", "422"} <= set(responses), label
            for status, response in responses.items():
                if status.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (label, status)
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                if parameter["in"] == "path" and schema.get("type") == "integer":
                    assert schema["minimum"] == 1, (label, parameter["name"])
                if parameter["in"] == "path" and schema.get("type") == "string":
                    assert schema["pattern"] == TEXT_PATTERN, (label, parameter["name"])


@pytest.mark.parametrize(
    ("statement", "ok"),
    [
        ("  我想为同学们服务，锻炼自己  ", True),
        ("a" * 10, True),
        ("a" * 9, False),
        ("  " + "a" * 9 + "\n", False),
        (" " * 20, False),
        ("a" * 5 + "\x00" + "a" * 5, False),
    ],
)
def test_the_statement_rule_is_in_the_document_and_the_same_as_enforced(statement, ok):
    from pydantic import ValidationError as PydanticError

    from tuanxue.selection.api_schemas import ApplyIn

    pattern = ApplyIn.model_json_schema()["properties"]["statement"]["pattern"]
    assert bool(re.search(pattern, statement)) == ok
    try:
        ApplyIn(seat=1, statement=statement)
    except PydanticError:
        accepted = False
    else:
        accepted = True
    assert accepted == ok


def test_a_decision_states_its_choices_and_when_a_comment_is_needed(client, db):
    spec = client.get(f"{API}/openapi.json").json()["components"]["schemas"]["DecisionIn"]
    assert spec["properties"]["decision"]["enum"] == ["approve", "return", "reject"]
    assert spec["if"]["properties"]["decision"]["enum"] == ["return", "reject"]
    assert spec["then"]["required"] == ["comment"]
    for step in ("step", "cycle"):
        assert spec["properties"][step]["minimum"] == 1
