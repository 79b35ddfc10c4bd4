"""``tuanxue charter adopt|show``: the same checked and audited adoption as the charter page,
clear Chinese messages for bad input, and nothing written when refused."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tuanxue.charter.models import Charter
from tuanxue.charter.rules import SEED_2020
from tuanxue.core.models import AuditEvent


def run(*args):
    import io

    out = io.StringIO()
    with translation.override("zh-hans"):
        call_command("charter", *args, stdout=out)
    return out.getvalue()


def adopt_args(kit, *extra):
    return [
        "adopt",
        "--school",
        kit.school.code,
        "--from",
        "2020-08-25",
        "--adopted-by",
        "第十四次学生代表大会",
        *extra,
    ]


def test_adopt_a_preset_is_audited_and_shown(kit):
    out = run(*adopt_args(kit, "--preset", "seed-2020"))
    charter = Charter.objects.get(school=kit.school)
    assert charter.parsed == SEED_2020
    assert charter.adopted_by == "第十四次学生代表大会"
    assert out.startswith(f"已为{kit.school.name}通过")
    assert "2020-08-25" in out and charter.version_label in out
    event = AuditEvent.objects.get(action="charter.version.adopted")
    assert event.actor_label == "system" and event.new["adopted_by"] == "第十四次学生代表大会"
    shown = run("show", "--school", kit.school.code, "--date", "2020-09-30")
    assert charter.name in shown and "20–30" in shown and "1%" in shown


def test_adopt_from_a_file(kit, tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rotation": False, "school": {"staff_max": 40}}), encoding="utf-8")
    run(*adopt_args(kit, "--file", str(path), "--version-label", "2021版"))
    charter = Charter.objects.get(school=kit.school)
    assert charter.version_label == "2021版"
    assert charter.parsed.rotation is False and charter.parsed.school.staff_max == 40


@pytest.mark.parametrize(
    "content,named",
    [
        ('{"rotation": true,}', "第 1 行"),
        ('["rotation"]', "JSON"),
        ('{"rotaton": true}', "rotaton"),
        ('{"rotation": "yes"}', "rotation"),
        ('{"congress_interval_months": "12"}', "congress_interval_months"),
        ('{"school": {"staff_max": -1}}', "staff_max"),
        ('{"school": {"staff_min": 50, "staff_max": 40}}', "staff_min"),
        ('{"political_statuses": ["团员"]}', "团员"),
        ('{"delegate_ratio": "2"}', "delegate_ratio"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(kit, tmp_path, content, named):
    path = tmp_path / "rules.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as err:
        run(*adopt_args(kit, "--file", str(path)))
    assert named in str(err.value)
    assert not Charter.objects.exists()
    assert not AuditEvent.objects.filter(action="charter.version.adopted").exists()


def test_unknown_school_missing_file_and_bad_date(kit, tmp_path):
    with pytest.raises(CommandError) as err:
        run(
            "adopt",
            "--school",
            "nope",
            "--from",
            "2020-08-25",
            "--adopted-by",
            "x",
            "--preset",
            "seed-2020",
        )
    assert "nope" in str(err.value)
    with pytest.raises(CommandError) as err:
        run(*adopt_args(kit, "--file", str(tmp_path / "missing.json")))
    assert "missing.json" in str(err.value)
    with pytest.raises(CommandError) as err:
        run(
            "adopt",
            "--school",
            kit.school.code,
            "--from",
            "2020-13-01",
            "--adopted-by",
            "x",
            "--preset",
            "seed-2020",
        )
    assert "2020-13-01" in str(err.value)
    # The same start day twice: the service refuses, nothing more is written.
    run(*adopt_args(kit, "--preset", "seed-2020"))
    with pytest.raises(CommandError):
        run(*adopt_args(kit, "--preset", "seed-2020", "--version-label", "另一个"))
    assert Charter.objects.count() == 1


def test_show_without_a_charter(kit):
    out = run("show", "--school", kit.school.code)
    assert kit.school.name in out


def test_a_contradictory_limit_is_named_for_people_and_for_the_file(kit, tmp_path):
    path = tmp_path / "rules.json"
    path.write_text('{"college": {"heads_min": 4, "heads_max": 3}}', encoding="utf-8")
    with pytest.raises(CommandError) as err:
        run(*adopt_args(kit, "--file", str(path)))
    message = str(err.value)
    assert "每部门负责人数下限" in message and "college.heads_min" in message
    assert "college.heads_max" in message
