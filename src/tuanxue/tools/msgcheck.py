"""Check (and with --compile, build) the translation catalogues without GNU gettext.

``python -m tuanxue.tools.msgcheck`` fails when a message in a .po file is untranslated or
fuzzy, or when the committed .mo file does not hold exactly what the .po file says.
``--compile`` writes the .mo files from the .po files.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(path: Path) -> tuple[dict[str, str], list[str]]:
    """The catalogue (msgid → msgstr, with plural forms joined by NUL) and a list of problems."""
    catalog: dict[str, str] = {}
    problems: list[str] = []
    entries: list[dict] = []
    current: dict = {}
    key = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current:
                entries.append(current)
            current, key = {}, None
            continue
        if line.startswith("#,"):
            current.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key is None:
                continue
            current[key] += _unquote(line)
        else:
            word, _, rest = line.partition(" ")
            key = word
            current[key] = _unquote(rest)
    for entry in entries:
        if "msgid" not in entry:
            continue
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = entry["msgctxt"] + "\x04" + msgid
        if "msgid_plural" in entry:
            forms = [entry[k] for k in sorted(k for k in entry if k.startswith("msgstr["))]
            msgid = msgid + "\x00" + entry["msgid_plural"]
            value = "\x00".join(forms)
            empty = any(not f for f in forms)
        else:
            value = entry.get("msgstr", "")
            empty = not value
        if entry["msgid"] and ("fuzzy" in entry.get("flags", set()) or empty):
            problems.append(f"{path}: untranslated or fuzzy: {entry['msgid'][:60]!r}")
            continue
        catalog[msgid] = value
    return catalog, problems


def write_mo(catalog: dict[str, str], path: Path) -> None:
    keys = sorted(catalog)
    ids = b""
    strs = b""
    offsets = []
    for k in keys:
        kb, vb = k.encode(), catalog[k].encode()
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    start = 7 * 4 + 16 * len(keys)
    key_table, value_table = [], []
    for o1, l1, o2, l2 in offsets:
        key_table += [l1, o1 + start]
        value_table += [l2, o2 + start + len(ids)]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    body = struct.pack(f"{len(key_table)}i", *key_table)
    body += struct.pack(f"{len(value_table)}i", *value_table)
    path.write_bytes(header + body + ids + strs)


def read_mo(path: Path) -> dict[str, str]:
    with path.open("rb") as fh:
        translations = gettext.GNUTranslations(fh)
    catalog = {}
    for key, value in translations._catalog.items():
        if isinstance(key, tuple):  # plural forms come back as (msgid, n)
            continue
        catalog[key] = value
    return catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile", action="store_true", help="write the .mo files")
    args = parser.parse_args(argv)
    failures: list[str] = []
    pos = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    for po in pos:
        catalog, problems = parse_po(po)
        failures += problems
        mo = po.with_suffix(".mo")
        if args.compile:
            write_mo(catalog, mo)
            continue
        if not mo.exists():
            failures.append(f"{mo} is missing: run `make messages`")
            continue
        singular = {k: v for k, v in catalog.items() if "\x00" not in k}
        compiled = {k: v for k, v in read_mo(mo).items() if k in singular or k not in catalog}
        if compiled != singular:
            failures.append(f"{mo} is out of date with {po.name}: run `make messages`")
    for failure in failures:
        print(failure, file=sys.stderr)
    if not args.compile:
        print(f"translations: {len(pos)} catalogue(s) checked, {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
