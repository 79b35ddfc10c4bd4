import pytest

from tuanxue.charter.rules import SEED_2020, CharterRules
from tuanxue.core.errors import DomainError


def test_seed_rules_round_trip_through_json():
    assert CharterRules.from_json(SEED_2020.to_json()) == SEED_2020


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"bogus": 1}, "rules"),
        ({"school": {"staff_max": -1}}, "school"),
        ({"college": {"heads_min": 4, "heads_max": 3}}, "college"),
        ({"academic_period": "forever"}, "academic_period"),
        ({"academic_top_share": "1.5"}, "academic_top_share"),
        ({"delegate_ratio": "abc"}, "delegate_ratio"),
        ({"political_statuses": ["citizen"]}, "political_statuses"),
        ({"congress_interval_months": 0}, "congress_interval_months"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(data, field):
    with pytest.raises(DomainError) as exc:
        CharterRules.from_json(data)
    assert exc.value.field == field


def test_titles_follow_rotation():
    assert "executive_chair" in SEED_2020.allowed_titles
    assert "chair" not in SEED_2020.allowed_titles
    plain = CharterRules(rotation=False)
    assert "chair" in plain.allowed_titles and "executive_chair" not in plain.allowed_titles


@pytest.mark.parametrize(
    ("remit", "found"),
    [
        ("负责学生宿舍管理和卫生评比", ["宿舍管理"]),
        ("组织校园文明纠察队", ["校园文明纠察"]),
        ("协助安全保卫工作", ["安全保卫"]),
        ("组织文艺晚会，服务同学", []),
    ],
)
def test_forbidden_functions_are_found_in_remits(remit, found):
    assert SEED_2020.forbidden_in(remit) == found
