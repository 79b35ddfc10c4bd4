"""Benchmark: creating logins in bulk, and why one-time passwords use a quicker hasher.

    .venv/bin/python bench/accounts_create.py [--rows 3000] [--keep]

Builds a throwaway SQLite database, imports a roster of --rows students, then times one hash
with Django's default PBKDF2 and with the one-time hasher, and the whole ``accounts_create``
(users, links, forced-change flags, audit event) plus the workbook of passwords. Prints the
times, the projection for 30,000 students with the default hasher, and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def per_hash(hasher: str, rounds: int) -> float:
    from django.contrib.auth.hashers import make_password

    started = time.perf_counter()
    for n in range(rounds):
        make_password(f"abcdefgh{n:02d}", hasher=hasher)
    return (time.perf_counter() - started) / rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "src"))
    sys.path.insert(0, str(root / "bench"))
    folder = Path(tempfile.mkdtemp(prefix="tuanxue-bench-"))
    os.environ["TUANXUE_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuanxue.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from import_students import write_roster

        from tuanxue.org import services
        from tuanxue.org.imports import import_file
        from tuanxue.org.people import accounts
        from tuanxue.org.people.hashers import ALGORITHM

        call_command("migrate", verbosity=0)
        school = services.school_add(actor=None, code="bench", name="基准测试学院")
        path = folder / "roster.xlsx"
        write_roster(path, args.rows)
        outcome = import_file(
            actor=None,
            school=school,
            kind="students",
            filename=path.name,
            content=path.read_bytes(),
        )
        assert outcome.ok

        default = per_hash("default", 3)
        quick = per_hash(ALGORITHM, 200)
        print(f"default PBKDF2 hash:   {default * 1000:8.1f} ms per password")
        print(f"one-time hasher:       {quick * 1000:8.2f} ms per password")
        print(f"ratio default / one-time: {default / quick:6.0f}")
        print(f"30,000 students with the default hasher would take {default * 30000 / 60:.0f} min")

        started = time.perf_counter()
        result = accounts.accounts_create(actor=None, school=school, people="students")
        create_seconds = time.perf_counter() - started
        started = time.perf_counter()
        workbook = accounts.logins_workbook_bytes(result)
        book_seconds = time.perf_counter() - started
        sheets = len({login.group for login in result.logins})
        print(
            f"accounts_create for {result.created} students: {create_seconds:6.2f}s "
            f"({create_seconds / max(result.created, 1) * 1000:.2f} ms each)"
        )
        print(f"workbook ({sheets} sheets, {len(workbook) / 1024:.0f} KB): {book_seconds:6.2f}s")
        print(f"projected for 30,000 students: {create_seconds / args.rows * 30000:6.0f}s")
        return 0
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
