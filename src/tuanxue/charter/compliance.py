"""Each charter rule for one union on one day: actual against limit, and the members behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tuanxue.charter.rules import CharterRules, Limits
from tuanxue.org.models import Membership
from tuanxue.org.selectors import UnionStructure

# Words in a body's name that reveal a standing level other than presidium and departments.
OTHER_LEVEL_WORDS = ("中心", "委员会", "办公室", "分会", "工作站")


PERSONAL_RULES = {"political", "academic"}


@dataclass
class RuleRow:
    key: str  # cap, titles, political, functions, levels
    rule: str
    actual: int | str
    limit: str
    ok: bool
    members: list[Membership] = field(default_factory=list)
    # The bodies a broken rule is about, by name (a body without members is named too).
    bodies: list[str] = field(default_factory=list)
    # The limit as numbers, for the chart (None where the rule has no such bound).
    low: int | None = None
    high: int | None = None

    @property
    def personal(self) -> bool:
        """Whether naming its members reveals personal data (political status, grades)."""
        return self.key in PERSONAL_RULES


def _limit_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}"
    if high is not None:
        return f"≤ {high}"
    if low is not None:
        return f"≥ {low}"
    return "—"


limit_text = _limit_text


def _bounds(limits: Limits, cap: str) -> dict[str, int | None]:
    low, high = limits.bounds(cap)
    return {"low": low, "high": high}


# Rows that apps above ``charter`` add for each union (the review app: meetings whose first
# agenda item is not study). Each hook takes (structure, rules) and returns rows.
_row_hooks: list = []


def register_rows(hook) -> None:
    if hook not in _row_hooks:
        _row_hooks.append(hook)


def union_rules(s: UnionStructure, rules: CharterRules) -> list[RuleRow]:
    """The countable rules of ``rules`` applied to the structure ``s``."""
    limits: Limits = rules.limits_for(s.union)
    rows = [
        RuleRow(
            "cap",
            _("staff in total"),
            s.staff_total,
            _limit_text(*limits.bounds("staff")),
            limits.within("staff", s.staff_total),
            s.members,
            **_bounds(limits, "staff"),
        ),
        RuleRow(
            "cap",
            _("presidium members"),
            s.presidium_size,
            _limit_text(*limits.bounds("presidium")),
            limits.within("presidium", s.presidium_size),
            s.presidium.members if s.presidium else [],
            **_bounds(limits, "presidium"),
        ),
        RuleRow(
            "cap",
            _("departments"),
            s.department_count,
            _limit_text(*limits.bounds("departments")),
            limits.within("departments", s.department_count),
            [],
            **_bounds(limits, "departments"),
        ),
    ]
    for d in s.departments:
        rows.append(
            RuleRow(
                "cap",
                _("heads of %(body)s") % {"body": d.body.name},
                len(d.heads),
                _limit_text(*limits.bounds("heads")),
                limits.within("heads", len(d.heads)),
                d.heads,
                **_bounds(limits, "heads"),
            )
        )
        rows.append(
            RuleRow(
                "cap",
                _("other staff of %(body)s") % {"body": d.body.name},
                len(d.staff),
                _limit_text(*limits.bounds("dept_staff")),
                limits.within("dept_staff", len(d.staff)),
                d.staff,
                **_bounds(limits, "dept_staff"),
            )
        )
    allowed = set(rules.allowed_titles)
    bad_titles = [m for m in s.members if m.title not in allowed]
    rows.append(
        RuleRow(
            "titles",
            _("posts with a title the charter does not allow"),
            len(bad_titles),
            "0",
            not bad_titles,
            bad_titles,
        )
    )
    not_members = [
        m for m in s.members if m.student.political_status not in rules.political_statuses
    ]
    rows.append(
        RuleRow(
            "political",
            _("staff who are not Party or League members"),
            len(not_members),
            "0",
            not not_members,
            not_members,
        )
    )
    forbidden = [(d, rules.forbidden_in(f"{d.body.name} {d.body.remit}")) for d in s.departments]
    forbidden = [(d, f) for d, f in forbidden if f]
    rows.append(
        RuleRow(
            "functions",
            _("departments taking on administrative functions"),
            len(forbidden),
            "0",
            not forbidden,
            [m for d, _f in forbidden for m in d.members],
            [f"{d.body.name}（{'、'.join(f)}）" for d, f in forbidden],
        )
    )
    other_levels = [d for d in s.departments if any(w in d.body.name for w in OTHER_LEVEL_WORDS)]
    rows.append(
        RuleRow(
            "levels",
            _("bodies other than presidium and departments"),
            len(other_levels),
            "0",
            not other_levels,
            [m for d in other_levels for m in d.members],
            [d.body.name for d in other_levels],
        )
    )
    for hook in _row_hooks:
        rows.extend(hook(s, rules))
    return rows


def month_diff(later: dt.date, earlier: dt.date) -> float:
    return (
        (later.year - earlier.year) * 12
        + (later.month - earlier.month)
        + (later.day - earlier.day) / 31
    )
