import pytest

from tuanxue.core.parsing import is_number, to_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("²", None), ("1" * 30, None), ("", None), (None, None), (" 7 ", 7), ("-3", None)],
)
def test_to_id(value, expected):
    assert to_id(value) == expected


def test_is_number_limits_length():
    assert is_number("123", max_length=3) and not is_number("1234", max_length=3)


def test_odd_digits_in_forms_give_a_message_not_an_error(client, db):
    from tuanxue.demo.org import build_demo
    from tuanxue.org.models import Role, RoleGrant

    build_demo()
    league = RoleGrant.objects.filter(role=Role.SCHOOL_LEAGUE).first().user
    client.force_login(league)
    assert client.post("/s/gdgm/ledger/certify/", {"entry": "²"}).status_code < 500
    assert client.get("/s/gdgm/ledger/export/?class=²").status_code < 500
    assert client.get("/s/gdgm/activities/?organiser=²").status_code < 500
