"""The sign-up rush's statements, written by hand.

A sign-up in a rush is a handful of small statements. Built with the ORM, each one costs more
Python (building and compiling the query) than the database spends running it, so the few
that every sign-up runs are plain SQL here, portable between SQLite and PostgreSQL, with table
and column names taken from the models. What they decide stays in ``signup.py`` and
``common.py``; these functions only read and write.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.utils import timezone

from tuanxue.activities.models import (
    ACTIVE_SIGNUP,
    Activity,
    ProjectStatus,
    Signup,
    SignupStatus,
    VolunteerProject,
    VolunteerRole,
)
from tuanxue.core import hotload
from tuanxue.core.models import School
from tuanxue.org.models import Student

# Only the statuses that hold (or may come to hold) a shift count against an overlap.
HOLDS_SHIFT = tuple(ACTIVE_SIGNUP)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _through(field) -> tuple[str, str, str]:
    """The table of a many-to-many field and its two id columns (own side, other side)."""
    through = field.remote_field.through._meta
    own = through.get_field(field.m2m_field_name()).column
    other = through.get_field(field.m2m_reverse_field_name()).column
    q = connection.ops.quote_name
    return q(through.db_table), q(own), q(other)


def _project_select(more_columns: str = "", more_joins: str = "") -> str:
    """The project with its school and activity (and what a caller adds), by the project's id."""
    project, activity, school = _table(VolunteerProject), _table(Activity), _table(School)
    return (
        f"SELECT {hotload.columns(VolunteerProject, 'p')}, {hotload.columns(School, 's')}, "
        f"{hotload.columns(Activity, 'a')}{more_columns} FROM {project} p "
        f"JOIN {school} s ON s.id = p.school_id JOIN {activity} a ON a.id = p.activity_id"
        f"{more_joins} WHERE p.id = %s"
    )


@cache
def _project_sql(vendor: str) -> str:
    return _project_select()


def project_with_school_and_activity(project_id: int) -> VolunteerProject | None:
    """The project with its school and activity loaded, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_project_sql(connection.vendor), [project_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return _project_from(row)[0]


def _checks_sql() -> str:
    """The student's requirement checks on role ``r`` and whether they have a sign-up in its
    project: its status and role name (``already``, None when none; one at most, by the
    unique constraint). Parameters: college, class, class, student, student."""
    colleges, c_role, c_college = _through(VolunteerRole._meta.get_field("colleges"))
    classes, k_role, k_class = _through(VolunteerRole._meta.get_field("classes"))
    sources, s_project, s_class = _through(VolunteerProject._meta.get_field("from_classes"))
    signup = _table(Signup)
    return (
        f"EXISTS (SELECT 1 FROM {colleges} c WHERE c.{c_role} = r.id), "
        f"EXISTS (SELECT 1 FROM {colleges} c WHERE c.{c_role} = r.id AND c.{c_college} = %s), "
        f"EXISTS (SELECT 1 FROM {classes} k WHERE k.{k_role} = r.id), "
        f"EXISTS (SELECT 1 FROM {classes} k WHERE k.{k_role} = r.id AND k.{k_class} = %s), "
        f"EXISTS (SELECT 1 FROM {sources} f WHERE f.{s_project} = r.project_id), "
        f"EXISTS (SELECT 1 FROM {sources} f WHERE f.{s_project} = r.project_id "
        f"AND f.{s_class} = %s), "
        f"(SELECT s.status FROM {signup} s WHERE s.student_id = %s "
        f"AND s.project_id = r.project_id), "
        f"(SELECT o.name FROM {signup} s JOIN {_table(VolunteerRole)} o ON o.id = s.role_id "
        f"WHERE s.student_id = %s AND s.project_id = r.project_id)"
    )


def _check_params(student: Student) -> list:
    return [
        student.college_id,
        student.class_group_id,
        student.class_group_id,
        student.pk,
        student.pk,
    ]


def _role_from(values, student: Student) -> VolunteerRole | None:
    """The role from its columns followed by the checks of ``_checks_sql``."""
    width = hotload.width(VolunteerRole)
    role = hotload.build(VolunteerRole, values[:width])
    if role is None:
        return None
    # SQLite answers 0 and 1.
    checks = [bool(value) for value in values[width : width + 6]]
    role.req_colleges, role.req_college_ok, role.req_classes, role.req_class_ok = checks[:4]
    role.req_from, role.req_from_ok = checks[4:]
    status, role_name = values[width + 6 :]
    role.already = None if status is None else (status, role_name)
    role.checked_for = student.pk
    return role


@cache
def _role_sql(vendor: str) -> str:
    return (
        f"SELECT {hotload.columns(VolunteerRole, 'r')}, {_checks_sql()} "
        f"FROM {_table(VolunteerRole)} r WHERE r.id = %s AND r.project_id = %s"
    )


def role_with_checks(project_id: int, role_id: int, student: Student) -> VolunteerRole | None:
    """The role with the student's requirement checks (``req_*``) and the student's sign-up in
    the project if any (``already``: its status and role name), in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_role_sql(connection.vendor), [*_check_params(student), role_id, project_id])
        row = cursor.fetchone()
    return None if row is None else _role_from(row, student)


@cache
def _context_sql(vendor: str) -> str:
    role = _table(VolunteerRole)
    return _project_select(
        f", {hotload.columns(VolunteerRole, 'r')}, {_checks_sql()}",
        f" LEFT JOIN {role} r ON r.id = %s AND r.project_id = p.id",
    )


def signup_context(project_id: int, role_id: int, student: Student):
    """What a student's sign-up reads before it writes, in one statement: the project with its
    school and activity, and the role with the student's checks (None when the project has no
    such role). None when there is no such project."""
    with connection.cursor() as cursor:
        cursor.execute(
            _context_sql(connection.vendor), [*_check_params(student), role_id, project_id]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    project, rest = _project_from(row)
    return project, _role_from(rest, student)


def _project_from(row):
    """The project with its school and activity attached, and the row's remaining values."""
    first, second = hotload.width(VolunteerProject), hotload.width(School)
    third = first + second + hotload.width(Activity)
    project = hotload.build(VolunteerProject, row[:first])
    hotload.attach(project, "school", hotload.build(School, row[first : first + second]))
    hotload.attach(project, "activity", hotload.build(Activity, row[first + second : third]))
    return project, row[third:]


@cache
def _clash_sql(vendor: str) -> str:
    signup, role = _table(Signup), _table(VolunteerRole)
    holds = ", ".join(["%s"] * len(HOLDS_SHIFT))
    return (
        f"SELECT s.id, s.project_id, s.status, r.name FROM {signup} s "
        f"JOIN {role} r ON r.id = s.role_id "
        f"WHERE s.student_id = %s AND (s.project_id = %s OR (s.status IN ({holds}) "
        f"AND r.shift_starts_at < %s AND r.shift_ends_at > %s)) ORDER BY s.id LIMIT 5"
    )


def clashing(student_id: int, project_id: int, role: VolunteerRole) -> list[tuple]:
    """(id, project id, status, role name) of the student's sign-ups that refuse one for
    ``role``: any in the project, and any holding a shift that overlaps the role's."""
    adapt = connection.ops.adapt_datetimefield_value
    params = [student_id, project_id, *HOLDS_SHIFT]
    params += [adapt(role.shift_ends_at), adapt(role.shift_starts_at)]
    with connection.cursor() as cursor:
        cursor.execute(_clash_sql(connection.vendor), params)
        return [tuple(row) for row in cursor.fetchall()]


def lock_student(student_id: int) -> None:
    """The student's row lock (PostgreSQL): their double submissions queue on it. SQLite has
    one writer at a time and needs none."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {_table(Student)} WHERE id = %s FOR UPDATE", [student_id]
            )


def take_place(role_id: int) -> bool:
    """The conditional UPDATE: one place taken if one is free. True when won."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(VolunteerRole)} SET taken = taken + 1 WHERE id = %s AND taken < slots",
            [role_id],
        )
        return cursor.rowcount == 1


def share_role(role_id: int) -> tuple[int, int, bool]:
    """The role's taken and slots under a shared row lock (PostgreSQL ``FOR SHARE``), and
    whether its project still recruits: many sign-ups share the lock, a withdrawal's
    exclusive lock waits for them and they for it. SQLite has one writer at a time and needs
    no row lock."""
    role, project = _table(VolunteerRole), _table(VolunteerProject)
    lock = " FOR SHARE OF r" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.taken, r.slots, p.status FROM {role} r "
            f"JOIN {project} p ON p.id = r.project_id WHERE r.id = %s{lock}",
            [role_id],
        )
        taken, slots, status = cursor.fetchone()
    return taken, slots, status == ProjectStatus.RECRUITING


def is_recruiting(project_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {_table(VolunteerProject)} WHERE id = %s AND status = %s",
            [project_id, ProjectStatus.RECRUITING],
        )
        return cursor.fetchone() is not None


@cache
def _insert_sql(vendor: str, waiting: bool) -> str:
    table = _table(Signup)
    columns = "school_id, project_id, role_id, student_id, status, created_at, updated_at"
    if waiting and vendor == "postgresql":
        # The id is drawn first, so the waiting number (the id itself) is written with it.
        return (
            f"INSERT INTO {table} (id, queue_no, {columns}) "
            f"SELECT v.n, v.n, %s, %s, %s, %s, %s, %s, %s FROM "
            f"(SELECT nextval(pg_get_serial_sequence('{Signup._meta.db_table}', 'id')) AS n) v "
            f"RETURNING id, (SELECT COUNT(*) FROM {table} w WHERE w.role_id = {table}.role_id "
            f"AND w.status = {table}.status AND w.queue_no < {table}.queue_no)"
        )
    return f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id"


def insert_signup(project, role, student, status: str) -> Signup:
    """The sign-up row, in one statement; a waiting one gets its id as its waiting number
    (ids are drawn in the order the rows reach the database)."""
    now = timezone.now()
    waiting = status == SignupStatus.WAITING
    at = connection.ops.adapt_datetimefield_value(now)
    params = [project.school_id, project.pk, role.pk, student.pk, status, at, at]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor, waiting), params)
        pk, *ahead = cursor.fetchone()
        queue_no = None
        if waiting:
            queue_no = pk
            if connection.vendor != "postgresql":
                cursor.execute(f"UPDATE {_table(Signup)} SET queue_no = %s WHERE id = %s", [pk, pk])
    row = Signup(
        pk=pk,
        school_id=project.school_id,
        project=project,
        role=role,
        student=student,
        status=status,
        queue_no=queue_no,
        created_at=now,
        updated_at=now,
    )
    row._state.adding = False
    row._state.db = connection.alias
    if ahead:
        row.waiting_ahead = ahead[0]  # counted by the INSERT itself
    return row


def waiting_ahead(role_id: int, queue_no: int) -> int:
    """How many wait for the role ahead of ``queue_no``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {_table(Signup)} WHERE role_id = %s AND status = %s "
            f"AND queue_no < %s",
            [role_id, SignupStatus.WAITING, queue_no],
        )
        return cursor.fetchone()[0]
