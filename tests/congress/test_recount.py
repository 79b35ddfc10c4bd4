"""The independent recount (``tuanxue congress recount PACK.zip`` and the stand-alone script in
docs/congress.md) agrees with the app on every kind of poll, from the pack alone, and catches a
counting bug in the app."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.builders.congress import Hall
from tuanxue.congress.models import Poll
from tuanxue.congress.polls import ballots, decisions, results
from tuanxue.congress.scrutiny import auditpack
from tuanxue.congress.scrutiny import recount as independent
from tuanxue.org.models import Role

DOCS = Path(__file__).resolve().parents[2] / "docs" / "congress.md"


def _counters(kit):
    return kit.user(role=Role.STUDENT_AFFAIRS), kit.user(role=Role.SCHOOL_PARTY)


def _cast(hall, poll, choices):
    for i, choice in enumerate(choices):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=choice)


def motion_phone(kit):
    hall = Hall(kit, 9, present=8)
    poll = hall.motion_poll(majority="two_thirds", base="present")
    _cast(hall, poll, ["yes"] * 5 + ["no", "abstain"])
    return decisions.poll_close(actor=hall.league, poll=poll)


def motion_paper(kit):
    hall = Hall(kit, 6)
    poll = hall.motion_poll(base="cast")
    _cast(hall, poll, ["yes", "no"])
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    counts = {"issued": 4, "yes": 2, "no": 0, "abstain": 1, "invalid": 1}
    for counter in _counters(kit):
        ballots.paper_tally_enter(actor=counter, poll=poll, counts=counts)
    return poll


def election_over_marked(kit):
    hall = Hall(kit, 6)
    poll = hall.election(["王甲", "李乙", "张丙", "赵丁"], 2, write_in=True)
    w, li, z, zh = (hall.cand(poll, n) for n in ("王甲", "李乙", "张丙", "赵丁"))
    _cast(
        hall,
        poll,
        [
            [w, li],
            [w, li],
            [w, z, zh],  # over-marked: invalid
            {"marks": [w, li], "write_in": "钱戊"},  # three names for two seats: invalid
            {"marks": [w], "write_in": "钱戊"},
            [],
        ],
    )
    return decisions.poll_close(actor=hall.league, poll=poll)


def election_runoff(kit):
    hall = Hall(kit, 5)
    poll = hall.election(["王甲", "李乙", "张丙"], 2)
    w, li, z = (hall.cand(poll, n) for n in ("王甲", "李乙", "张丙"))
    _cast(hall, poll, [[w, li], [w, z], [w, li], [w, z], [li, z]])  # 李乙 and 张丙 tie
    decisions.poll_close(actor=hall.league, poll=poll)
    runoff = Poll.objects.get(runoff_of=poll)
    assert runoff.seats == 1
    return poll


def runoff_round(kit):
    first = election_runoff(kit)
    runoff = Poll.objects.get(runoff_of=first)
    hall_users = [d.student.user for d in first.session.delegates.all()]
    from tuanxue.congress.polls import services as polls

    league = kit.user(role=Role.SCHOOL_LEAGUE)
    polls.poll_open(actor=league, poll=runoff)
    ids = list(runoff.candidates.order_by("order").values_list("pk", flat=True))
    for i, user in enumerate(hall_users):
        ballots.ballot_cast(actor=user, poll=runoff, choice=[ids[i % 2 if i < 4 else 0]])
    return decisions.poll_close(actor=league, poll=runoff)


def election_paper(kit):
    hall = Hall(kit, 3)
    poll = hall.election(["王甲", "李乙", "张丙"], 2)
    w, li, z = (hall.cand(poll, n) for n in ("王甲", "李乙", "张丙"))
    _cast(hall, poll, [[w], [w, li]])
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    counts = {
        "issued": 4,
        "invalid": 1,
        "groups": [{"marks": [li, z], "count": 2}, {"marks": [w, li, z], "count": 1}],
    }
    for counter in _counters(kit):
        ballots.paper_tally_enter(actor=counter, poll=poll, counts=counts)
    return poll


def election_void(kit):
    """More ballots returned than issued (the paper counters' issued figure is too low)."""
    hall = Hall(kit, 3)
    poll = hall.election(["王甲", "李乙"], 1)
    w = hall.cand(poll, "王甲")
    _cast(hall, poll, [[w]])
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    counts = {"issued": 1, "invalid": 0, "groups": [{"marks": [w], "count": 3}]}
    for counter in _counters(kit):
        ballots.paper_tally_enter(actor=counter, poll=poll, counts=counts)
    return poll


POLLS = {
    "motion_phone": motion_phone,
    "motion_paper": motion_paper,
    "election_over_marked": election_over_marked,
    "election_runoff": election_runoff,
    "runoff_round": runoff_round,
    "election_paper": election_paper,
    "election_void": election_void,
}


def _standalone_script() -> str:
    text = DOCS.read_text()
    found = re.search(r"<!-- standalone-recount -->\s*```python\n(.*?)```", text, re.S)
    assert found, "docs/congress.md has no stand-alone recount script"
    return found.group(1)


def _app_figures(poll) -> dict:
    result = results.poll_result(poll)
    figures = {"returned": result.returned, "valid": result.valid, "invalid": result.invalid}
    if poll.kind == "motion":
        figures.update(yes=result.yes, no=result.no, abstain=result.abstain)
        figures["adopted"] = result.adopted
    else:
        figures["votes"] = {row["name"]: row["votes"] for row in result.votes}
        figures["election_valid"] = result.election_valid
        figures["winners"] = result.winners
        figures["runoff_seats"] = result.runoff_seats
    return figures


@pytest.mark.parametrize("kind", sorted(POLLS))
def test_recount_from_the_pack_agrees_with_the_app(kit, tmp_path, kind):
    poll = POLLS[kind](kit)
    assert results.count_complete(poll)
    data = auditpack.audit_pack_zip(poll)  # the public pack: no voters list needed
    path = tmp_path / "pack.zip"
    path.write_bytes(data)
    app = _app_figures(poll)

    # the command: its own code, and a JSON view
    out = io.StringIO()
    call_command("congress", "recount", str(path), "--json", stdout=out)
    counted = json.loads(out.getvalue())
    assert counted["differences"] == []
    mine = counted["recount"]
    for key in ("returned", "valid", "invalid"):
        assert mine[key] == app[key], key
    if poll.kind == "motion":
        assert (mine["yes"], mine["no"], mine["abstain"]) == (app["yes"], app["no"], app["abstain"])
        assert mine["adopted"] is app["adopted"]
    else:
        names = {str(c.pk): c.student.name for c in poll.candidates.select_related("student")}
        assert {names[k]: v for k, v in mine["votes"].items()} == app["votes"]
        assert mine["winners"] == app["winners"]
        assert mine["runoff_seats"] == app["runoff_seats"]
        assert mine["election_valid"] is app["election_valid"]

    # the stand-alone script from the docs, run by a plain Python with no project on its path
    script = tmp_path / "recount.py"
    script.write_text(_standalone_script())
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=True,
    )
    plain = json.loads(run.stdout)
    assert {k: plain[k] for k in app} == app


def test_the_recount_speaks_chinese_and_names_what_differs(kit, tmp_path, monkeypatch):
    poll = election_over_marked(kit)
    path = tmp_path / "pack.zip"
    path.write_bytes(auditpack.audit_pack_zip(poll))
    out = io.StringIO()
    call_command("congress", "recount", str(path), stdout=out)
    text = out.getvalue()
    assert "收回选票6张，有效4张，无效2张" in text
    assert "当选人：王甲" in text
    assert "重新计票结果与公布的结果一致。" in text

    # A counting bug in the app (one vote lost in ``results.tally``) is not repeated by the
    # recount, so the pack the buggy app publishes fails it.
    real = results.tally

    def lossy(rows, **kw):
        counts = real(rows, **kw)
        if counts.get("votes"):
            first = next(iter(counts["votes"]))
            counts["votes"][first] -= 1
        return counts

    monkeypatch.setattr(results, "tally", lossy)
    path.write_bytes(auditpack.audit_pack_zip(poll))
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("congress", "recount", str(path), stdout=io.StringIO(), stderr=err)
    assert "不一致" in str(exc.value)
    assert "votes" in err.getvalue()


def test_a_broken_pack_gets_a_clear_message(tmp_path):
    path = tmp_path / "not.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError) as exc:
        call_command("congress", "recount", str(path))
    assert "审计包" in str(exc.value)
    with pytest.raises(independent.PackError):
        independent.read_pack(b"")


def test_a_tampered_pack_fails_its_digest(kit, tmp_path):
    import zipfile

    poll = motion_phone(kit)
    original = zipfile.ZipFile(io.BytesIO(auditpack.audit_pack_zip(poll)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in original.namelist():
            data = original.read(name)
            if name == "ballots.csv":
                data = data.replace(b",no,", b",yes,", 1)
            z.writestr(name, data)
    path = tmp_path / "tampered.zip"
    path.write_bytes(out.getvalue())
    with pytest.raises(CommandError) as exc:
        call_command("congress", "recount", str(path))
    assert "digest.txt: ballots.csv" in str(exc.value)


def test_a_pack_taken_while_paper_is_counted_says_so(kit, tmp_path):
    hall = Hall(kit, 3)
    poll = hall.motion_poll()
    _cast(hall, poll, ["yes"])
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    path = tmp_path / "pack.zip"
    path.write_bytes(auditpack.audit_pack_zip(poll))
    err = io.StringIO()
    call_command("congress", "recount", str(path), stdout=io.StringIO(), stderr=err)
    assert "纸质选票仍在计票中" in err.getvalue()
