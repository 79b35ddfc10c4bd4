"""``tuanxue eligibility``: verdicts on a roster with ties and boundary cases, compared with an
independent computation of the rule."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import random
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command

from tuanxue.charter import services as charter_services
from tuanxue.charter.rules import SEED_2020
from tuanxue.org import services
from tuanxue.org.models import AcademicRecord, PoliticalStatus

SEMESTER = "2019-2020-2"
TOP = Fraction(3, 10)


def within(rank: int, size: int) -> bool:
    return rank <= max(1, math.floor(TOP * size))


def expected(case: dict) -> bool | None:
    """The rule, written independently of the engine: League or Party member; first-year
    students exempt from the academic part; otherwise a record is needed, both ranks within the
    top 30% (postgraduates: no rank rule) and no failed course."""
    political = case["political"] != PoliticalStatus.MASSES
    if case["grade"] >= 2020:  # first year on 2020-07-16
        academic = True
    elif case["record"] is None:
        academic = None
    else:
        study, assessment, size, failed = case["record"]
        ranks_ok = case["postgraduate"] or (within(study, size) and within(assessment, size))
        academic = ranks_ok and failed == 0
    if not political:
        return False
    return academic


def competition_ranks(scores: list[int]) -> list[int]:
    """1 + the number of strictly better scores: tied students share a rank."""
    return [1 + sum(other > s for other in scores) for s in scores]


@pytest.fixture
def roster(kit):
    """Fixed boundary cases plus a 40-student cohort with many ties, judged on 2020-07-16."""
    semester = services.semester_ensure(actor=None, school=kit.school, code=SEMESTER)
    charter_services.charter_adopt(
        actor=None,
        school=kit.school,
        name="测试学院学生会章程",
        version_label="2020年修改版",
        effective_from=dt.date(2020, 3, 1),
        rules=SEED_2020.to_json(),
        adopted_by="第十四次学生代表大会",
    )
    cases = {}

    def add(label, *, record, political=PoliticalStatus.LEAGUE_MEMBER, grade=2018, pg=False):
        student = kit.student(name=label, grade=grade, political_status=political, postgraduate=pg)
        if record is not None:
            study, assessment, size, failed = record
            AcademicRecord.objects.create(
                school=kit.school,
                student=student,
                semester=semester,
                study_rank=study,
                assessment_rank=assessment,
                major_size=size,
                failed_courses=failed,
            )
        cases[student.student_no] = {
            "label": label,
            "record": record,
            "political": political,
            "grade": grade,
            "postgraduate": pg,
        }

    add("恰好30%", record=(12, 12, 40, 0))
    add("并列12名", record=(12, 12, 40, 0))
    add("13名", record=(13, 1, 40, 0))
    add("综测13名", record=(1, 13, 40, 0))
    add("一人专业", record=(1, 1, 1, 0))
    add("三人专业第一", record=(1, 1, 3, 0))
    add("三人专业第二", record=(2, 1, 3, 0))
    add("十人第三", record=(3, 3, 10, 0))
    add("十人第四", record=(4, 3, 10, 0))
    add("挂科", record=(1, 1, 40, 1))
    add("群众", record=(1, 1, 40, 0), political=PoliticalStatus.MASSES)
    add("无记录", record=None)
    add("无记录群众", record=None, political=PoliticalStatus.MASSES)
    add("新生", record=None, grade=2020)
    add("研究生", record=(40, 40, 40, 0), pg=True)
    add("研究生挂科", record=(1, 1, 40, 2), pg=True)

    rng = random.Random(4)
    size = 40
    study = competition_ranks([rng.randint(60, 70) for _ in range(size)])
    assessment = competition_ranks([rng.randint(60, 68) for _ in range(size)])
    for i in range(size):
        failed = 1 if rng.random() < 0.1 else 0
        add(f"队列{i}", record=(study[i], assessment[i], size, failed))
    assert len(set(study)) < size and len(set(assessment)) < size  # ties exist
    return kit, cases


def run(*args) -> str:
    out = io.StringIO()
    call_command("eligibility", *args, "--language", "en", stdout=out)
    return out.getvalue()


def test_verdicts_match_an_independent_computation(roster):
    kit, cases = roster
    rows = json.loads(run("--school", kit.school.code, "--semester", SEMESTER, "--json"))
    assert [r["student_no"] for r in rows] == sorted(cases)
    for row in rows:
        case = cases[row["student_no"]]
        assert row["eligible"] is expected(case), (case["label"], row)
        assert row["reasons"], case["label"]
    by_label = {cases[r["student_no"]]["label"]: r for r in rows}
    assert by_label["恰好30%"]["eligible"] is True
    assert by_label["并列12名"]["eligible"] is True
    assert by_label["13名"]["eligible"] is False
    assert by_label["一人专业"]["eligible"] is True
    assert by_label["三人专业第二"]["eligible"] is False
    assert by_label["无记录"]["eligible"] is None
    assert by_label["无记录群众"]["eligible"] is False  # fails on political status alone
    # the cohort really has each outcome
    cohort = [r["eligible"] for label, r in by_label.items() if label.startswith("队列")]
    assert True in cohort and False in cohort


def test_missing_records_never_pass_and_say_what_is_missing(roster):
    kit, cases = roster
    number = next(n for n, c in cases.items() if c["label"] == "无记录")
    rows = json.loads(
        run("--school", kit.school.code, "--semester", SEMESTER, "--student", number, "--json")
    )
    assert len(rows) == 1
    assert rows[0]["eligible"] is None
    assert any(SEMESTER in reason for reason in rows[0]["reasons"])


def test_chosen_students_in_the_order_given_and_reasons_explain(roster):
    kit, cases = roster
    numbers = {c["label"]: n for n, c in cases.items()}
    output = run(
        "--school",
        kit.school.code,
        "--semester",
        SEMESTER,
        "--student",
        numbers["13名"],
        "--student",
        numbers["恰好30%"],
        numbers["群众"],
        "--json",
    )
    rows = json.loads(output)
    assert [r["student_no"] for r in rows] == [numbers["13名"], numbers["恰好30%"], numbers["群众"]]
    assert [r["eligible"] for r in rows] == [False, True, False]
    assert any("13/40" in reason for reason in rows[0]["reasons"])
    assert any("12/40" in reason for reason in rows[1]["reasons"])
    assert "\\u" not in output  # Chinese is printed as is


def test_table_output(roster):
    kit, cases = roster
    output = run("--school", kit.school.code, "--semester", SEMESTER)
    assert "2020-07-16" in output
    for number in cases:
        assert number in output
    assert f"{len(cases)} students" in output


def test_a_later_day_may_be_given(roster):
    kit, cases = roster
    number = next(n for n, c in cases.items() if c["label"] == "恰好30%")
    args = ["--school", kit.school.code, "--semester", SEMESTER, "--student", number, "--json"]
    rows = json.loads(run(*args, "--date", "2020-08-20"))
    assert rows[0]["eligible"] is True
    default_day = json.loads(run(*args))  # the day after the semester ends: 2020-07-16
    assert default_day[0]["eligible"] is True
    with pytest.raises(CommandError, match="must be after"):
        run(*args, "--date", "2020-07-15")
    with pytest.raises(CommandError, match="2020-09-30"):
        run(*args, "--date", "tomorrow")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--school", "nope", "--semester", SEMESTER], "nope"),
        (["--school", "tst", "--semester", "2030-2031-1"], "2030-2031-1"),
        (["--school", "tst", "--semester", SEMESTER, "--student", "X1", "X2"], "X1、X2"),
    ],
)
def test_unknown_school_semester_or_student_is_an_error(roster, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
