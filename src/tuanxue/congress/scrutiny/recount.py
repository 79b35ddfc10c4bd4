"""An independent recount from an audit pack's published files alone.

It checks the files against ``digest.txt``, reads ``poll.json`` (what the poll was) and
``ballots.csv`` (the published ballots) and
counts with its own code: it imports nothing from the app's counting (``results``, ``agenda``)
and uses only the standard library, so a counting bug in the app is not repeated here. The
validity of an election ballot is decided again from its marks and the seats, not read from the
file. ``compare`` lists every figure where the recount and the pack's ``result.json`` differ.

``tuanxue congress recount PACK.zip`` prints the outcome in the user's language.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from decimal import Decimal

MOTION_CHOICES = ("yes", "no", "abstain")


class PackError(ValueError):
    """The pack is missing a file or a file cannot be read."""


def read_pack(data: bytes) -> dict:
    """The published files of a pack: ``poll`` (dict), ``ballots`` (rows), ``result`` (dict)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            for needed in ("poll.json", "ballots.csv", "result.json"):
                if needed not in names:
                    raise PackError(needed)
            if "digest.txt" in names:
                _check_digest(z, names)
            poll = json.loads(z.read("poll.json").decode("utf-8"))
            text = z.read("ballots.csv").decode("utf-8")
            result = json.loads(z.read("result.json").decode("utf-8"))
    except (zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackError(str(exc)) from exc
    return {"poll": poll, "ballots": list(csv.DictReader(io.StringIO(text))), "result": result}


def _check_digest(z: zipfile.ZipFile, names: set[str]) -> None:
    """Each file listed in digest.txt must have the SHA-256 written there."""
    for line in z.read("digest.txt").decode("utf-8").splitlines():
        digest, _sep, name = line.partition("  ")
        if name in names and hashlib.sha256(z.read(name)).hexdigest() != digest.strip():
            raise PackError(f"digest.txt: {name}")


def _choice(raw: str):
    raw = raw.strip()
    if raw.startswith("{"):
        return json.loads(raw)
    return raw


def recount_motion(poll: dict, rows: list[dict]) -> dict:
    out = {"returned": 0, "valid": 0, "invalid": 0, "yes": 0, "no": 0, "abstain": 0}
    for row in rows:
        choice = _choice(row["choice"])
        out["returned"] += 1
        if choice in MOTION_CHOICES:
            out["valid"] += 1
            out[choice] += 1
        else:
            out["invalid"] += 1
    entitled, present = poll["entitled"], poll["present"]
    out["quorum_met"] = Decimal(present) >= Decimal(poll["quorum"]) * entitled
    base = {"entitled": entitled, "present": present, "cast": out["valid"]}[poll["base"]]
    out["base"] = base
    if poll["majority"] == "two_thirds":
        reached = base > 0 and out["yes"] * 3 >= base * 2
    else:
        reached = base > 0 and out["yes"] * 2 > base
    out["adopted"] = bool(out["quorum_met"] and reached)
    return out


def recount_election(poll: dict, rows: list[dict]) -> dict:
    seats = poll["seats"]
    listed = [c["id"] for c in sorted(poll["candidates"], key=lambda c: c["order"])]
    names = {c["id"]: c["name"] for c in poll["candidates"]}
    votes = dict.fromkeys(listed, 0)
    write_ins: dict[str, int] = {}
    out = {"returned": 0, "valid": 0, "invalid": 0}
    for row in rows:
        choice = _choice(row["choice"])
        out["returned"] += 1
        marks = choice.get("marks") if isinstance(choice, dict) else None
        if not isinstance(marks, list) or any(m not in votes for m in marks):
            out["invalid"] += 1
            continue
        write_in = choice.get("write_in") or ""
        if len(set(marks)) + (1 if write_in else 0) > seats:
            out["invalid"] += 1  # over-marked: more names than seats
            continue
        out["valid"] += 1
        for mark in set(marks):
            votes[mark] += 1
        if write_in:
            write_ins[write_in] = write_ins.get(write_in, 0) + 1
    out["votes"] = {str(k): v for k, v in votes.items()}
    out["write_ins"] = write_ins
    out["election_valid"] = out["returned"] <= poll["issued"]
    elected: list[int] = []
    runoff: list[int] = []
    left = seats
    if out["election_valid"]:
        over = sorted({votes[c] for c in listed if votes[c] * 2 > out["valid"]}, reverse=True)
        for n in over:
            level = [c for c in listed if votes[c] == n]
            if left <= 0:
                break
            if len(level) > left:
                runoff = level
                break
            elected += level
            left -= len(level)
        if left > 0 and not runoff:
            runoff = [c for c in listed if c not in elected]
    else:
        left = 0
    out["winners"] = [names[c] for c in listed if c in elected]
    out["runoff_seats"] = left if out["election_valid"] else 0
    out["runoff_candidates"] = sorted(runoff) if out["runoff_seats"] else []
    return out


def recount(pack: dict) -> dict:
    poll = pack["poll"]
    if poll["kind"] == "motion":
        return {"kind": "motion", **recount_motion(poll, pack["ballots"])}
    return {"kind": "election", **recount_election(poll, pack["ballots"])}


def compare(counted: dict, result: dict) -> list[tuple[str, object, object]]:
    """Every figure where the recount differs from the published result: (name, recount,
    published)."""
    keys = ["returned", "valid", "invalid"]
    published = dict(result)
    if counted["kind"] == "motion":
        keys += ["yes", "no", "abstain", "base", "quorum_met", "adopted"]
    else:
        keys += ["election_valid", "winners", "runoff_seats", "runoff_candidates", "votes"]
        published["votes"] = {str(r["id"]): r["votes"] for r in result.get("votes", [])}
        published["runoff_candidates"] = sorted(result.get("runoff_candidates", []))
    return [(k, counted[k], published.get(k)) for k in keys if counted[k] != published.get(k)]
