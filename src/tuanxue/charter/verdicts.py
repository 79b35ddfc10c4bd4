"""The self-assessment's vocabulary: the verdicts, one item's result, the records loaded once
for every school assessed (``Loads``), what a check reads about one school (``Context``) and the
report. The checks and the report's assembly are in ``assessment``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tuanxue.charter.compliance import union_rules
from tuanxue.charter.models import (
    Attestation,
    Charter,
    ChecklistVersion,
    CongressRecord,
)
from tuanxue.charter.rules import CharterRules
from tuanxue.core.models import School, Semester
from tuanxue.org import selectors
from tuanxue.org.models import Union

PASS, FAIL, NOT_EVIDENCED = "pass", "fail", "not_evidenced"


@dataclass
class ItemResult:
    code: str
    title: str
    core: bool
    status: str
    actual: Any = None
    limit: Any = None
    evidence: list[str] = field(default_factory=list)
    detail: str = ""
    # "data" when the item rests on records kept here, "attested" when on documents registered
    # by the League committee (attestations).
    basis: str = "data"
    # The records a data item rests on: {"type": app.model, "id": pk, "label": text}.
    refs: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "core": self.core,
            "status": self.status,
            "actual": self.actual,
            "limit": self.limit,
            "evidence": self.basis,
            "records": self.evidence,
            "record_refs": self.refs,
            "detail": self.detail,
        }


class Loads:
    """What the assessments of several schools on one day read, each kind of record loaded
    once for all of them (one query per kind, whatever the number of schools): the province-wide
    assessment goes through this, and one school's assessment is the same with one school.

    A loader is a function of the ``Loads`` (its ``schools``, ``day`` and, once built, the
    ``contexts``) returning a dict by school id, or anything every school shares."""

    def __init__(self, schools: list[School], day: dt.date):
        self.schools = schools
        self.day = day
        self.contexts: list[Context] = []
        self._loaded: dict = {}

    def all(self, loader):
        if loader not in self._loaded:
            self._loaded[loader] = loader(self)
        return self._loaded[loader]

    def of(self, loader, school: School, default=None):
        return self.all(loader).get(school.pk, default)


def by_school(rows, key=lambda row: row.school_id) -> dict[int, list]:
    """Rows grouped by their school id, each group in the rows' order."""
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


def semesters_by_school(loads: Loads) -> dict[int, list[Semester]]:
    """Each school's calendar, by start."""
    return by_school(Semester.objects.filter(school__in=loads.schools).order_by("start", "pk"))


@dataclass
class Context:
    school: School
    day: dt.date
    charter: Charter | None
    rules: CharterRules
    school_union: selectors.UnionStructure
    college_unions: list[selectors.UnionStructure]
    congress: CongressRecord | None
    attestations: dict[str, list[Attestation]]

    # The rule rows of each structure, computed once for the several items that read them.
    rows_cache: dict = field(default_factory=dict)
    loads: Loads | None = None
    student_url_parts: tuple[str, str] | None = None

    def load(self, loader, default=None):
        """``loader``'s records of this school, loaded for every school assessed with it."""
        if self.loads is None:
            self.loads = Loads([self.school], self.day)
            self.loads.contexts = [self]
        return self.loads.of(loader, self.school, default)

    @property
    def semesters(self) -> list[Semester]:
        return self.load(semesters_by_school, [])

    @property
    def structures(self) -> list[selectors.UnionStructure]:
        return [self.school_union, *self.college_unions]

    def union_rules(self, s: selectors.UnionStructure) -> list:
        key = id(s)
        if key not in self.rows_cache:
            self.rows_cache[key] = union_rules(s, self.rules)
        return self.rows_cache[key]

    def union_url(self, union: Union) -> str:
        return reverse("org:union", args=[self.school.code, union.pk])

    def student_url(self, student_id: int) -> str:
        # A check may list every staff member: the school's part of the address is resolved
        # once, the student's number filled in (the same address ``reverse`` gives).
        if self.student_url_parts is None:
            head, _sep, tail = reverse("org:student", args=[self.school.code, 0]).rpartition("/0/")
            self.student_url_parts = (head + "/", "/" + tail)
        head, tail = self.student_url_parts
        return f"{head}{int(student_id)}{tail}"


@dataclass
class Report:
    school: School
    day: dt.date
    charter: Charter | None
    checklist: ChecklistVersion | None
    figures: dict[str, Any]
    items: list[ItemResult]
    context: Context

    @property
    def passed(self) -> bool:
        return self.charter is not None and all(i.status == PASS for i in self.items if i.core)

    def to_json(self) -> dict:
        return {
            "school": self.school.name,
            "school_code": self.school.code,
            "charter": self.charter.version_label if self.charter else None,
            "checklist": self.checklist.code if self.checklist else None,
            "date": self.day.isoformat(),
            "passed": self.passed,
            "figures": self.figures,
            "items": [i.to_json() for i in self.items],
        }
