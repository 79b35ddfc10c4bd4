"""Benchmark: a volunteer sign-up rush against the real server on PostgreSQL.

    .venv/bin/python bench/signup_rush.py [--students 2000] [--slots 100] [--workers 4]
                                          [--clients 32] [--keep]

Needs a PostgreSQL server: TUANXUE_BENCH_DATABASE_URL (or DATABASE_URL), for example
postgres://postgres@127.0.0.1:5432/postgres. On that server it drops and creates the database
``tuanxue_bench_signup``, migrates it, creates a school with N students (users and API tokens
made in bulk), a published activity and a first-come project with one role of K places. It
starts gunicorn (W sync workers, 127.0.0.1 only), fires every student's sign-up from C client
threads, each student submitting twice (the repeats shuffled among the first tries), then
sends the same number of ``GET /api/v1/ping`` with the same tokens and clients as a baseline.

It prints attempts, confirmed, waiting, oversold, duplicates, lost confirmations, sign-up
throughput and p50/p99 latency, ping throughput and the ratio, and exits 1 when an invariant
fails: oversold, duplicates and lost confirmations must be 0, exactly min(N, K) confirmed,
every request answered 201 or 409, and the waiting list numbered without repeats.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "tuanxue_bench_signup"
HOST = "127.0.0.1"


def server_url() -> str:
    url = os.environ.get("TUANXUE_BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set TUANXUE_BENCH_DATABASE_URL (or DATABASE_URL) to a PostgreSQL address, e.g. "
            "postgres://postgres@127.0.0.1:5432/postgres"
        )
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def recreate_database(url: str) -> str:
    import psycopg

    admin = with_database(url, "postgres").replace("postgresql://", "postgres://", 1)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        c.execute(f"CREATE DATABASE \"{BENCH_DB}\" ENCODING 'UTF8' TEMPLATE template0")
    return with_database(url, BENCH_DB)


def drop_database(url: str) -> None:
    import psycopg

    admin = with_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# -- data ----------------------------------------------------------------------------------


def build(students: int, slots: int) -> tuple[int, int, list[str]]:
    """The school, students with tokens, and the project. Returns project id, role id, keys."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from tuanxue.activities import signup as svc
    from tuanxue.activities.models import Activity, ActivityStatus, SignupMode
    from tuanxue.core.models import ApiToken
    from tuanxue.org import services
    from tuanxue.org.models import Gender, Major, PoliticalStatus, Student

    school = services.school_add(actor=None, code="bench", name="压测职业技术学院")
    college = services.college_create(actor=None, school=school, name="信息学院")
    major = Major.objects.create(school=school, college=college, name="软件技术")
    groups = [
        services.class_group_create(
            actor=None,
            school=school,
            college=college,
            major=major,
            name=f"软件23{n:02d}",
            grade=2023,
        )
        for n in range(1, 11)
    ]
    union = school.unions.get(college__isnull=True)
    body = services.department_create(
        actor=None, union=union, name="青年志愿者协会", remit="志愿服务"
    )
    User = get_user_model()
    keys = [ApiToken.new_key() for _ in range(students)]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"bench{n:05d}", password="!") for n in range(students)],
            batch_size=1000,
        )
        Student.objects.bulk_create(
            [
                Student(
                    school=school,
                    student_no=f"2023{n:06d}",
                    name=f"学生{n}",
                    gender=Gender.FEMALE if n % 2 else Gender.MALE,
                    college=college,
                    major=major,
                    class_group=groups[n % len(groups)],
                    grade=2023,
                    political_status=PoliticalStatus.LEAGUE_MEMBER,
                    user=user,
                )
                for n, user in enumerate(users)
            ],
            batch_size=1000,
        )
        ApiToken.objects.bulk_create(
            [
                ApiToken(user=user, name="bench", key_hash=ApiToken.hash_key(key), hint=key[:10])
                for user, key in zip(users, keys, strict=True)
            ],
            batch_size=1000,
        )
    now = timezone.now()
    day = now + dt.timedelta(days=7)
    activity = Activity.objects.create(
        school=school,
        title="IT杯篮球赛",
        description="决赛",
        area="culture_sports",
        starts_at=day,
        ends_at=day + dt.timedelta(hours=3),
        place="体育馆",
        organiser_body=body,
        status=ActivityStatus.PUBLISHED,
    )
    project = svc.project_create(
        actor=None,
        activity=activity,
        title="IT杯篮球赛志愿者",
        description="",
        mode=SignupMode.FIRST_COME,
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(hours=2),
        withdraw_until=now + dt.timedelta(hours=1),
        roles=[
            {
                "name": "检票员",
                "slots": slots,
                "shift_starts_at": day,
                "shift_ends_at": day + dt.timedelta(hours=3),
            }
        ],
        from_classes=[],
        from_societies=[],
    )
    return project.pk, project.roles.get().pk, keys


# -- the server ----------------------------------------------------------------------------


def start_server(db_url: str, workers: int, var_dir: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "tuanxue.settings",
        "TUANXUE_VAR_DIR": var_dir,
        "DB_CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DEBUG", None)
    log = open(Path(var_dir) / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "tuanxue.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{port}",
            "--backlog",
            "4096",
            "--timeout",
            "120",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=str(ROOT),
    )
    base = f"http://{HOST}:{port}"
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {log.name}")
        try:
            if httpx.get(f"{base}/api/v1/ping", timeout=2).status_code == 401:
                return server, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# -- load ----------------------------------------------------------------------------------


def fire(jobs: list, clients: int, send) -> tuple[list, float]:
    """Run ``send(client, job)`` for every job from ``clients`` threads, each with its own
    keep-alive connection. Returns the results in job order and the wall time."""
    import httpx

    local = threading.local()
    made: list = []
    made_lock = threading.Lock()

    def run(job):
        client = getattr(local, "client", None)
        if client is None:
            client = httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0))
            local.client = client
            with made_lock:
                made.append(client)
        started = time.perf_counter()
        try:
            status, body = send(client, job)
        except httpx.HTTPError as exc:
            status, body = 0, {"error": repr(exc)}
        return status, body, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(run, jobs))
    elapsed = time.perf_counter() - started
    for client in made:
        client.close()
    return results, elapsed


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--slots", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1, help="shuffles the submission order")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    url = server_url()
    db_url = recreate_database(url)
    var_dir = tempfile.mkdtemp(prefix="tuanxue-bench-")
    os.environ["DATABASE_URL"] = db_url
    os.environ["TUANXUE_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuanxue.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    server = None
    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        project_id, role_id, keys = build(args.students, args.slots)
        connections.close_all()
        print(
            f"set up: {args.students} students with tokens, 1 role of {args.slots} places "
            f"({time.perf_counter() - t0:.1f} s)"
        )
        server, base = start_server(db_url, args.workers, var_dir)
        print(f"server: gunicorn, {args.workers} workers at {base}; {args.clients} clients")

        attempts = [n for n in range(args.students) for _ in range(2)]
        random.Random(args.seed).shuffle(attempts)
        signup_url = f"{base}/api/v1/volunteer-projects/{project_id}/signups"

        def send_signup(client, n):
            r = client.post(
                signup_url,
                json={"role": role_id},
                headers={"Authorization": f"Bearer {keys[n]}"},
            )
            return r.status_code, r.json() if r.content else {}

        def send_ping(client, n):
            r = client.get(f"{base}/api/v1/ping", headers={"Authorization": f"Bearer {keys[n]}"})
            return r.status_code, r.json() if r.content else {}

        signups, signup_time = fire(attempts, args.clients, send_signup)
        pings, ping_time = fire(attempts, args.clients, send_ping)
    finally:
        if server is not None:
            stop_server(server)

    from tuanxue.activities.models import Signup, SignupStatus, VolunteerRole
    from tuanxue.core.audit import verify_chain
    from tuanxue.core.models import School

    rows = list(Signup.objects.filter(project_id=project_id).values("pk", "student_id", "status"))
    role = VolunteerRole.objects.get(pk=role_id)
    by_id = {r["pk"]: r for r in rows}
    confirmed_rows = sum(1 for r in rows if r["status"] == SignupStatus.CONFIRMED)
    waiting_rows = [r for r in rows if r["status"] == SignupStatus.WAITING]
    queue = list(
        Signup.objects.filter(project_id=project_id, status=SignupStatus.WAITING).values_list(
            "queue_no", flat=True
        )
    )
    per_student: dict[int, int] = {}
    for r in rows:
        per_student[r["student_id"]] = per_student.get(r["student_id"], 0) + 1
    duplicates = sum(1 for n in per_student.values() if n > 1)

    created = [(s, body) for s, body, _ in signups if s == 201]
    told_confirmed = [body for _, body in created if body.get("status") == "confirmed"]
    told_waiting = [body for _, body in created if body.get("status") == "waiting"]
    lost = sum(
        1
        for body in told_confirmed
        if by_id.get(body.get("id"), {}).get("status") != SignupStatus.CONFIRMED
    )
    missing_rows = sum(1 for _, body in created if body.get("id") not in by_id)
    refusals: dict[str, int] = {}
    for s, body, _ in signups:
        if s == 409:
            refusals[body.get("code", "?")] = refusals.get(body.get("code", "?"), 0) + 1
    unexpected = sum(1 for s, _, _ in signups if s not in (201, 409))
    ping_ok = sum(1 for s, _, _ in pings if s == 200)
    oversold = max(0, role.taken - role.slots) + max(0, confirmed_rows - role.slots)
    expected_confirmed = min(args.students, args.slots)
    latencies = [t for s, _, t in signups if s in (201, 409)]
    ping_latencies = [t for s, _, t in pings if s == 200]
    signup_rate = len(signups) / signup_time
    ping_rate = len(pings) / ping_time
    chain = verify_chain(School.objects.get(code="bench"))

    print()
    print(f"attempts               {len(signups)}  ({args.students} students × 2)")
    print(f"201 confirmed          {len(told_confirmed)}")
    print(f"201 waiting            {len(told_waiting)}")
    print(f"409 refused            {sum(refusals.values())}  {refusals}")
    print(f"other answers/errors   {unexpected}")
    print(f"rows: confirmed        {confirmed_rows}  (role taken {role.taken} of {role.slots})")
    print(f"rows: waiting          {len(waiting_rows)}  (distinct numbers {len(set(queue))})")
    print(f"oversold               {oversold}")
    print(f"duplicates             {duplicates}")
    print(f"lost confirmations     {lost}  (201 without its row: {missing_rows})")
    print(f"audit chain            {'intact' if not chain else f'{len(chain)} problems'}")
    print(
        f"sign-up                {signup_rate:.0f} req/s  p50 {percentile(latencies, 0.5) * 1000:.0f} ms"
        f"  p99 {percentile(latencies, 0.99) * 1000:.0f} ms  ({signup_time:.1f} s)"
    )
    print(
        f"ping (baseline)        {ping_rate:.0f} req/s  p50 "
        f"{percentile(ping_latencies, 0.5) * 1000:.0f} ms  p99 "
        f"{percentile(ping_latencies, 0.99) * 1000:.0f} ms  ({ping_time:.1f} s, {ping_ok} ok)"
    )
    print(f"ratio sign-up/ping     {signup_rate / ping_rate:.2f}")
    if latencies:
        print(f"mean sign-up latency   {statistics.fmean(latencies) * 1000:.0f} ms")

    failures = []
    if oversold:
        failures.append("oversold")
    if duplicates:
        failures.append("duplicates")
    if lost or missing_rows:
        failures.append("lost confirmations")
    if confirmed_rows != expected_confirmed or len(told_confirmed) != expected_confirmed:
        failures.append(f"confirmed is not {expected_confirmed}")
    if unexpected:
        failures.append("requests not answered 201 or 409")
    if len(set(queue)) != len(queue) or None in queue:
        failures.append("waiting list numbers repeat")
    if len(created) != args.students:
        failures.append("not every student got exactly one place or waiting number")
    if chain:
        failures.append("audit chain broken")

    from django.db import connections

    connections.close_all()
    if not args.keep:
        drop_database(url)
    shutil.rmtree(var_dir, ignore_errors=True)
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("OK: every invariant holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
