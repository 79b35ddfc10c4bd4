"""The rules a charter version sets, as a typed value stored in the charter's JSON column.

Limits that a charter leaves open are ``None``. ``CharterRules.from_json`` refuses anything it does
not understand, naming the field, so a bad version can never be adopted.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.core.errors import DomainError
from tuanxue.org.models import PoliticalStatus, Title

LAST_SEMESTER = "last_semester"
LAST_YEAR = "last_year"
SINCE_ENROLMENT = "since_enrolment"
ACADEMIC_PERIODS = (LAST_SEMESTER, LAST_YEAR, SINCE_ENROLMENT)

# The administrative functions a union must not take on, with the words that reveal them in a
# department's remit.
DEFAULT_FORBIDDEN_FUNCTIONS = {
    "宿舍管理": ["宿舍管理", "宿舍检查", "查寝", "查宿舍", "寝室检查", "内务检查"],
    "校园文明纠察": ["文明纠察", "纠察", "文明督查"],
    "安全保卫": ["安全保卫", "保卫", "治安", "安保", "巡逻"],
}


@dataclass(frozen=True)
class Limits:
    """Caps for one level of union (the school union, or each college union)."""

    staff_min: int | None = None
    staff_max: int | None = None
    presidium_max: int | None = None
    departments_max: int | None = None
    heads_min: int | None = None
    heads_max: int | None = None
    dept_staff_max: int | None = None

    # The one computation of a cap: the compliance report (a count against its bounds) and the
    # enforcement of every appointment (one more post against the upper bound) both ask here.
    def bounds(self, cap: str) -> tuple[int | None, int | None]:
        low, high = CAPS[cap]
        return (getattr(self, low) if low else None, getattr(self, high))

    def within(self, cap: str, count: int) -> bool:
        low, high = self.bounds(cap)
        return (low is None or count >= low) and (high is None or count <= high)

    def allows_one_more(self, cap: str, count: int) -> bool:
        _low, high = self.bounds(cap)
        return high is None or count + 1 <= high


# cap -> (the lower bound's field, the upper bound's field)
CAPS = {
    "staff": ("staff_min", "staff_max"),
    "presidium": (None, "presidium_max"),
    "departments": (None, "departments_max"),
    "heads": ("heads_min", "heads_max"),
    "dept_staff": (None, "dept_staff_max"),
}


@dataclass(frozen=True)
class CharterRules:
    school: Limits = field(
        default_factory=lambda: Limits(staff_max=40, presidium_max=5, departments_max=6)
    )
    college: Limits = field(default_factory=Limits)
    rotation: bool = True
    political_statuses: tuple[str, ...] = (
        PoliticalStatus.PARTY_MEMBER,
        PoliticalStatus.PARTY_PROBATIONARY,
        PoliticalStatus.LEAGUE_MEMBER,
    )
    academic_period: str = LAST_SEMESTER
    academic_top_share: str = "0.30"
    academic_counts_assessment: bool = True
    first_year_exempt: bool = True
    delegate_ratio: str = "0.01"
    congress_interval_months: int = 12
    # An activity for this many people or more is "major" and is filed with the League committee.
    major_activity_capacity: int = 300
    forbidden_functions: dict[str, list[str]] = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_FORBIDDEN_FUNCTIONS.items()}
    )
    # The semester duty review (述职评议): who sits on the panel, the score scale, the grade
    # thresholds, what each grade earns in the credit ledger, and what a sanction costs.
    review_student_majority: bool = True
    review_min_student_affairs: int = 1
    review_min_league: int = 1
    review_scale_max: int = 100
    # A school that scores in grades names them with the number each counts as, e.g.
    # {"优": 95, "良": 85, "中": 75, "差": 55}; empty means whole numbers 0..review_scale_max.
    review_scale_grades: dict[str, int] = field(default_factory=dict)
    review_trim_from: int = 5
    review_thresholds: dict[str, int] = field(
        default_factory=lambda: {"excellent": 90, "good": 80, "pass": 60}
    )
    review_credit: dict[str, dict[str, str]] = field(
        default_factory=lambda: {
            "excellent": {"hours": "8", "points": "2"},
            "good": {"hours": "6", "points": "1"},
            "pass": {"hours": "4", "points": "0"},
            "fail": {"hours": "0", "points": "0"},
        }
    )
    sanction_ineligible_semesters: int = 2

    # -- derived -----------------------------------------------------------------------------

    @property
    def allowed_titles(self) -> list[str]:
        presidium = (
            [Title.EXECUTIVE_CHAIR, Title.PRESIDIUM_MEMBER]
            if self.rotation
            else [Title.CHAIR, Title.VICE_CHAIR]
        )
        return [*presidium, Title.MINISTER, Title.VICE_MINISTER, Title.STAFF]

    # Read for every staff member judged: parsed once (the rules are frozen).
    @functools.cached_property
    def top_share(self) -> Fraction:
        return Fraction(self.academic_top_share)

    @property
    def top_share_percent(self) -> str:
        return f"{float(self.top_share) * 100:g}%"

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.delegate_ratio)

    @property
    def ratio_percent(self) -> str:
        """The delegate ratio as a percentage: 0.01 → 1%."""
        return f"{float(self.ratio) * 100:g}%"

    def limits_for(self, union) -> Limits:
        return self.school if union.college_id is None else self.college

    def forbidden_in(self, text: str) -> list[str]:
        """The forbidden functions that ``text`` (a remit) takes on."""
        return [
            function
            for function, words in self.forbidden_functions.items()
            if any(word in text for word in words)
        ]

    # -- (de)serialisation -------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["political_statuses"] = list(self.political_statuses)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CharterRules:
        data = dict(data or {})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise DomainError(
                _("Unknown charter rule: %(name)s.") % {"name": ", ".join(unknown)}, field="rules"
            )
        _check_types(data)
        for level in ("school", "college"):
            if level in data:
                data[level] = _limits(level, data[level])
        if "political_statuses" in data:
            statuses = tuple(data["political_statuses"])
            bad = [str(s) for s in statuses if s not in PoliticalStatus.values]
            if bad:
                raise DomainError(
                    _("Unknown political status in the charter: %(v)s (known: %(known)s).")
                    % {"v": "、".join(bad), "known": ", ".join(PoliticalStatus.values)},
                    field="political_statuses",
                )
            if not statuses:
                raise DomainError(
                    _("The charter must allow at least one political status."),
                    field="political_statuses",
                )
            data["political_statuses"] = statuses
        rules = cls(**data)
        rules.validate()
        return rules

    def validate(self) -> None:
        if self.academic_period not in ACADEMIC_PERIODS:
            raise DomainError(
                _("The academic period must be one of %(v)s.") % {"v": ", ".join(ACADEMIC_PERIODS)},
                field="academic_period",
            )
        for name in ("academic_top_share", "delegate_ratio"):
            try:
                value = Fraction(getattr(self, name))
            except (ValueError, ZeroDivisionError, TypeError) as exc:
                raise DomainError(
                    _("%(name)s must be a number such as 0.30.") % {"name": name}, field=name
                ) from exc
            if not 0 < value <= 1:
                raise DomainError(
                    _("%(name)s must be above 0 and at most 1.") % {"name": name}, field=name
                )
        thresholds = self.review_thresholds
        if set(thresholds) != {"excellent", "good", "pass"} or not (
            self.review_scale_max
            >= thresholds["excellent"]
            >= thresholds["good"]
            >= thresholds["pass"]
            >= 0
        ):
            raise DomainError(
                _("The review thresholds must be excellent ≥ good ≥ pass within the scale."),
                field="review_thresholds",
            )
        if any(
            not isinstance(v, int) or not 0 <= v <= self.review_scale_max
            for v in self.review_scale_grades.values()
        ):
            raise DomainError(
                _("Each review grade must count as a whole number within the scale."),
                field="review_scale_grades",
            )
        for grade, amounts in self.review_credit.items():
            for unit, amount in amounts.items():
                try:
                    ok = unit in ("hours", "points") and Decimal(str(amount)) >= 0
                except InvalidOperation:
                    ok = False
                if grade not in ("excellent", "good", "pass", "fail") or not ok:
                    raise DomainError(
                        _("The review credit for %(grade)s is not an amount of hours or points.")
                        % {"grade": grade},
                        field="review_credit",
                    )
        if self.sanction_ineligible_semesters < 0 or self.review_trim_from < 3:
            raise DomainError(
                _("The review settings are out of range."), field="sanction_ineligible_semesters"
            )
        if self.congress_interval_months < 1:
            raise DomainError(
                _("The congress interval must be at least one month."),
                field="congress_interval_months",
            )


# The JSON type each plain rule must have (the levels and statuses are checked on their own).
_BOOLS = ("rotation", "academic_counts_assessment", "first_year_exempt")
_INTS = ("congress_interval_months", "major_activity_capacity")
_TEXTS = ("academic_period", "academic_top_share", "delegate_ratio")


def _check_types(data: dict[str, Any]) -> None:
    """Refuse a value of the wrong JSON type, naming the rule (before anything uses it)."""

    def refuse(name: str, kind: str) -> None:
        raise DomainError(
            _("Charter rule %(name)s must be %(kind)s, not %(value)s.")
            % {"name": name, "kind": kind, "value": json.dumps(data[name], ensure_ascii=False)},
            field=name,
        )

    for name in _BOOLS:
        if name in data and not isinstance(data[name], bool):
            refuse(name, _("true or false"))
    for name in _INTS:
        if name in data and (isinstance(data[name], bool) or not isinstance(data[name], int)):
            refuse(name, _("a whole number"))
    for name in _TEXTS:
        if (
            name in data
            and isinstance(data[name], int | float)
            and not isinstance(data[name], bool)
        ):
            data[name] = str(data[name])
        elif name in data and not isinstance(data[name], str):
            refuse(name, _('a text such as "0.30"'))
    for name in ("school", "college"):
        if name in data and not isinstance(data[name], dict):
            refuse(name, _("an object of limits"))
    if "political_statuses" in data and not isinstance(data["political_statuses"], list):
        refuse("political_statuses", _("a list"))
    if "forbidden_functions" in data:
        value = data["forbidden_functions"]
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(w, str) for w in v)
            for k, v in value.items()
        ):
            refuse("forbidden_functions", _("an object of function: [words]"))


LIMIT_LABELS = {
    "staff_min": gettext_lazy("staff in total, at least"),
    "staff_max": gettext_lazy("staff in total, at most"),
    "presidium_max": gettext_lazy("presidium members, at most"),
    "departments_max": gettext_lazy("departments, at most"),
    "heads_min": gettext_lazy("heads per department, at least"),
    "heads_max": gettext_lazy("heads per department, at most"),
    "dept_staff_max": gettext_lazy("other staff per department, at most"),
}
LEVEL_LABELS = {
    "school": gettext_lazy("School union"),
    "college": gettext_lazy("Each college union"),
}


def _limit_name(level: str, name: str) -> str:
    """A limit as a person reads it, with the key a rules file uses (college.heads_min)."""
    return _("%(level)s “%(label)s” (%(key)s)") % {
        "level": LEVEL_LABELS.get(level, level),
        "label": LIMIT_LABELS.get(name, name),
        "key": f"{level}.{name}",
    }


def _limits(level: str, data: dict[str, Any]) -> Limits:
    known = {f.name for f in dataclasses.fields(Limits)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise DomainError(
            _("Unknown limit for the %(level)s union: %(name)s.")
            % {"level": level, "name": ", ".join(unknown)},
            field=level,
        )
    for name, value in data.items():
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise DomainError(
                _("%(limit)s must be a whole number or empty.")
                % {"limit": _limit_name(level, name)},
                field=level,
            )
    limits = Limits(**data)
    for low, high in (("staff_min", "staff_max"), ("heads_min", "heads_max")):
        lo, hi = getattr(limits, low), getattr(limits, high)
        if lo is not None and hi is not None and lo > hi:
            raise DomainError(
                _("%(low)s is above %(high)s.")
                % {"low": _limit_name(level, low), "high": _limit_name(level, high)},
                field=level,
            )
    return limits


# The seed school's charter: the 2020 revision adopted by its 14th congress.
SEED_2020 = CharterRules(
    school=Limits(staff_max=60, presidium_max=5, departments_max=6, heads_max=3, dept_staff_max=6),
    college=Limits(
        staff_min=20,
        staff_max=30,
        presidium_max=3,
        departments_max=6,
        heads_min=2,
        heads_max=3,
        dept_staff_max=6,
    ),
    rotation=True,
    political_statuses=(
        PoliticalStatus.LEAGUE_MEMBER,
        PoliticalStatus.PARTY_PROBATIONARY,
        PoliticalStatus.PARTY_MEMBER,
    ),
    academic_period=LAST_SEMESTER,
    academic_top_share="0.30",
    academic_counts_assessment=True,
)
