"""Benchmark: a volunteer sign-up rush against the real server on PostgreSQL, with a floor.

    .venv/bin/python bench/signup_rush.py [--students 2000] [--slots 100] [--workers 3]
                                          [--clients 64] [--python-client] [--keep]

Needs a PostgreSQL server: TUANXUE_BENCH_DATABASE_URL (or DATABASE_URL), for example
postgres://postgres@127.0.0.1:5432/postgres. On that server it drops and creates the database
``tuanxue_bench_signup``, migrates it, creates a school with N students (users and API tokens
made in bulk), a published activity and a first-come project with one role of K places. It
starts gunicorn (W sync workers, 127.0.0.1 only), fires every student's sign-up from C client
threads, each student submitting twice (the repeats shuffled among the first tries), then
sends the same number of ``GET /api/v1/ping`` with the same tokens and clients as a baseline.

In the same run, against the same server (``bench/bench_settings.py``, a URLconf that adds
two bare views; never the production one) and the same database, it also fires:

- the floor: ``POST /bench/claim/<n>``, no authentication, no audit, a conditional UPDATE of
  one slot row plus an INSERT in one commit, with the same students x 2 submissions;
- ``GET /bench/ping``, a view without the database, against the token-authenticated ping.

The load comes from ``wrk`` when it is installed: one wrk process per connection, each with
its share of the jobs and the students' tokens (``bench/rush.lua`` says why), all started
together; latencies are measured per request. Otherwise it comes from Python threads; the
output says which. It prints attempts, confirmed, waiting,
oversold, duplicates, lost confirmations, throughput and p50/p99 latency of each phase, the
sign-up/floor and ping/bare-ping ratios, then waits for the audit sealer and checks that every
event was sealed within 5 s and the chain verifies. It exits 1 when an invariant fails:
oversold, duplicates and lost confirmations must be 0, exactly min(N, K) confirmed, every
request answered 201 or 409, the waiting list numbered without repeats, every event sealed
within 5 s and the chain intact.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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

    from tuanxue.activities.models import Activity, ActivityStatus, SignupMode
    from tuanxue.activities.volunteer import signup as svc
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
        "DJANGO_SETTINGS_MODULE": "bench_settings",
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
            "--pythonpath",
            str(ROOT / "bench"),
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


def create_floor_tables() -> None:
    """The floor's two tables, outside the application's models."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_slot (id integer PRIMARY KEY, taken integer NOT NULL, "
            "slots integer NOT NULL, CHECK (taken <= slots))"
        )
        cursor.execute(
            "CREATE TABLE bench_claim (id bigserial PRIMARY KEY, slot_id integer NOT NULL "
            "REFERENCES bench_slot (id), student integer NOT NULL UNIQUE, won boolean NOT NULL)"
        )


@dataclass
class Phase:
    name: str
    requests: int
    seconds: float
    p50: float
    p99: float
    statuses: dict = field(default_factory=dict)
    confirmed_ids: list = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<22} {self.rate:6.0f} req/s  p50 {self.p50 * 1000:4.0f} ms  "
            f"p99 {self.p99 * 1000:4.0f} ms  ({self.requests} answers in {self.seconds:.1f} s)"
        )


def run_wrk(base: str, name: str, jobs: list, clients: int, var_dir: str) -> Phase:
    """Fire ``jobs`` from ``clients`` wrk processes, each with one thread and one connection
    (see ``bench/rush.lua`` for why), the jobs dealt to them in turn. The phase lasts from the
    first request sent to the last answer received, on the machine's monotonic clock."""
    slug = name.split()[0].replace("-", "")
    shares = [jobs[n::clients] for n in range(clients)]
    go = Path(var_dir) / f"{slug}.go"
    runs = []
    for n, share in enumerate(shares):
        if not share:
            continue
        path = Path(var_dir) / f"{slug}.{n}.jobs"
        out = Path(var_dir) / f"{slug}.{n}.out"
        path.write_text("".join("\t".join(job) + "\n" for job in share), encoding="utf-8")
        env = {**os.environ, "WRK_JOBS": str(path), "WRK_OUT": str(out), "WRK_GO": str(go)}
        command = ["wrk", "-t", "1", "-c", "1", "-d", "600s", "--timeout", "60s"]
        command += ["-s", str(ROOT / "bench" / "rush.lua"), base]
        runs.append((subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL), out))
    time.sleep(0.5)  # every process has read its jobs and waits for the go mark
    go.touch()
    # Each process writes its figures and a mark after its last answer; it is then stopped at
    # once (SIGINT), so the idle connection it may hold does not keep a server worker waiting.
    waiting = list(runs)
    deadline = time.monotonic() + 300
    while waiting:
        for run in list(waiting):
            wrk, out = run
            if Path(f"{out}.done").exists() or wrk.poll() is not None:
                wrk.send_signal(signal.SIGINT)
                waiting.remove(run)
        if time.monotonic() > deadline:
            for wrk, _ in waiting:
                wrk.kill()
            raise SystemExit(f"phase {name}: {len(waiting)} wrk clients got no answer in 300 s")
        time.sleep(0.005)
    starts, ends, latencies, confirmed = [], [], [], []
    statuses: dict = {}
    for wrk, out in runs:
        wrk.wait(timeout=60)
        if not out.exists():
            raise SystemExit(f"phase {name}: a wrk client stopped without its figures")
        for row in out.read_text().splitlines():
            key, *values = row.split()
            if key == "status":
                statuses[int(values[0])] = statuses.get(int(values[0]), 0) + int(values[1])
            elif key == "confirmed":
                confirmed.append(int(values[0]))
            elif key == "latency":
                latencies.append(int(values[0]) / 1e6)
            elif key == "start":
                starts.append(int(values[0]))
            elif key == "end":
                ends.append(int(values[0]))
    return Phase(
        name,
        len(latencies),
        (max(ends) - min(starts)) / 1e6,
        percentile(latencies, 0.5),
        percentile(latencies, 0.99),
        statuses,
        confirmed,
    )


def run_python(base: str, name: str, jobs: list, clients: int) -> Phase:
    def send(client, job):
        method, path, token, body = job
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body:
            headers["Content-Type"] = "application/json"
        r = client.request(method, base + path, content=body or None, headers=headers)
        return r.status_code, r.json() if r.content else {}

    results, seconds = fire(jobs, clients, send)
    statuses: dict = {}
    for status, _, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    times = [t for status, _, t in results if status]
    confirmed = [
        body.get("id")
        for status, body, _ in results
        if status == 201 and body.get("status") == "confirmed"
    ]
    return Phase(
        name,
        len(results),
        seconds,
        percentile(times, 0.5),
        percentile(times, 0.99),
        statuses,
        confirmed,
    )


def wait_for_sealing(school, seconds: float) -> int:
    """Unsealed events of ``school`` left after waiting up to ``seconds`` for the sealer."""
    from tuanxue.core.models import AuditEvent

    deadline = time.monotonic() + seconds
    while True:
        left = AuditEvent.objects.filter(school=school, seq__isnull=True).count()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--slots", type=int, default=100)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1, help="shuffles the submission order")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    url = server_url()
    db_url = recreate_database(url)
    var_dir = tempfile.mkdtemp(prefix="tuanxue-bench-")
    os.environ["DATABASE_URL"] = db_url
    os.environ["TUANXUE_VAR_DIR"] = var_dir
    os.environ.setdefault("AUDIT_KEY", secrets.token_hex(32))
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuanxue.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    use_wrk = shutil.which("wrk") is not None and not args.python_client
    server = None
    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        project_id, role_id, keys = build(args.students, args.slots)
        create_floor_tables()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_slot (id, taken, slots) VALUES (1, 0, %s)", [args.slots]
            )
        connections.close_all()
        print(
            f"set up: {args.students} students with tokens, 1 role of {args.slots} places "
            f"({time.perf_counter() - t0:.1f} s)"
        )
        server, base = start_server(db_url, args.workers, var_dir)
        client = (
            "wrk (bench/rush.lua, one process per connection)"
            if use_wrk
            else "Python threads (httpx)"
        )
        print(f"server: gunicorn, {args.workers} sync workers at {base}")
        print(f"load:   {client}, {args.clients} connections")

        attempts = [n for n in range(args.students) for _ in range(2)]
        random.Random(args.seed).shuffle(attempts)
        body = json.dumps({"role": role_id})
        signup_path = f"/api/v1/volunteer-projects/{project_id}/signups"
        plans = {
            "floor (bare claim)": [("POST", f"/bench/claim/{n}", "", "") for n in attempts],
            "sign-up": [("POST", signup_path, keys[n], body) for n in attempts],
            "bare ping": [("GET", "/bench/ping", "", "") for n in attempts],
            "authenticated ping": [("GET", "/api/v1/ping", keys[n], "") for n in attempts],
        }
        phases = {}
        for name, jobs in plans.items():
            if use_wrk:
                phases[name] = run_wrk(base, name, jobs, args.clients, var_dir)
            else:
                phases[name] = run_python(base, name, jobs, args.clients)
        from tuanxue.core.models import School

        school = School.objects.get(code="bench")
        unsealed = wait_for_sealing(school, 10.0)
    finally:
        if server is not None:
            stop_server(server)

    from django.db.models import F, Max

    from tuanxue.activities.models import Signup, SignupStatus, VolunteerRole
    from tuanxue.core.audit import verify_chain
    from tuanxue.core.models import AuditEvent

    signups = phases["sign-up"]
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
    lost = sum(
        1
        for pk in signups.confirmed_ids
        if by_id.get(pk, {}).get("status") != SignupStatus.CONFIRMED
    )
    unexpected = sum(n for s, n in signups.statuses.items() if s not in (201, 409))
    oversold = max(0, role.taken - role.slots) + max(0, confirmed_rows - role.slots)
    expected_confirmed = min(args.students, args.slots)
    events = AuditEvent.objects.filter(school=school, action="volunteer.signup.created")
    slowest = (
        AuditEvent.objects.filter(school=school, seq__isnull=False)
        .annotate(delay=F("sealed_at") - F("at"))
        .aggregate(Max("delay"))["delay__max"]
    )
    slowest_s = slowest.total_seconds() if slowest is not None else 0.0
    chain = verify_chain(school, unsealed_bound=5)
    floor = phases["floor (bare claim)"]
    bare, auth = phases["bare ping"], phases["authenticated ping"]

    print()
    print(f"attempts               {len(attempts)}  ({args.students} students × 2)")
    print(f"answers seen           {dict(sorted(signups.statuses.items()))}")
    print(f"201 confirmed told     {len(signups.confirmed_ids)}")
    print(f"rows: confirmed        {confirmed_rows}  (role taken {role.taken} of {role.slots})")
    print(f"rows: waiting          {len(waiting_rows)}  (distinct numbers {len(set(queue))})")
    print(f"oversold               {oversold}")
    print(f"duplicates             {duplicates}")
    print(f"lost confirmations     {lost}")
    print(f"audit events (sign-up) {events.count()}; unsealed after the run {unsealed}")
    print(f"longest sealing delay  {slowest_s:.2f} s")
    print(f"audit chain            {'intact' if not chain else f'{len(chain)} problems'}")
    for p in chain[:5]:
        print(f"  event {p.seq}: {p.problem}")
    print()
    for phase in phases.values():
        print(phase.line())
    print()
    print(f"ratio sign-up/floor    {signups.rate / floor.rate:.2f}  (goal ≥ 0.5)")
    print(f"ratio ping/bare ping   {auth.rate / bare.rate:.2f}  (goal ≥ 0.5)")
    print(f"sign-up p99            {signups.p99 * 1000:.0f} ms  (goal ≤ 250 ms)")

    failures = []
    if oversold:
        failures.append("oversold")
    if duplicates:
        failures.append("duplicates")
    if lost:
        failures.append("lost confirmations")
    if confirmed_rows != expected_confirmed:
        failures.append(f"confirmed is not {expected_confirmed}")
    if unexpected:
        failures.append("requests not answered 201 or 409")
    if len(set(queue)) != len(queue) or None in queue:
        failures.append("waiting list numbers repeat")
    if len(per_student) != args.students:
        failures.append("not every student got exactly one place or waiting number")
    if unsealed or slowest_s > 5:
        failures.append("audit events not sealed within 5 s")
    if chain:
        failures.append("audit chain broken")

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
