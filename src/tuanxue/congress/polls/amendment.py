"""A charter amendment motion: its clause-by-clause difference from the charter in force on the
session's day, and, once the congress adopts it, the new charter version."""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.utils.translation import gettext as _

from tuanxue.charter import services as charter_services
from tuanxue.charter.models import Charter
from tuanxue.charter.rules import CharterRules, Limits
from tuanxue.congress.models import Motion, MotionKind
from tuanxue.congress.sessions.agenda import motion_tally
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import require_league_committee

# The clauses' names as the charter itself words them (the charter is a Chinese document).
RULE_LABELS = {
    "rotation": "主席团轮值制（不设主席、副主席）",
    "political_statuses": "工作人员政治面貌要求",
    "academic_period": "学业成绩考察期间",
    "academic_top_share": "学业成绩排名要求（专业前列比例）",
    "academic_counts_assessment": "综合测评排名一并考察",
    "first_year_exempt": "新生免于学业成绩要求",
    "delegate_ratio": "学生代表名额比例",
    "congress_interval_months": "学生代表大会召开间隔（月）",
    "major_activity_capacity": "重大活动报备人数线",
    "forbidden_functions": "不得承担的管理职能",
}
LEVEL_LABELS = {"school": "校级学生会", "college": "院级学生会"}
LIMIT_LABELS = {
    "staff_min": "工作人员总数下限",
    "staff_max": "工作人员总数上限",
    "presidium_max": "主席团成员人数上限",
    "departments_max": "工作部门数量上限",
    "heads_min": "每部门负责人人数下限",
    "heads_max": "每部门负责人人数上限",
    "dept_staff_max": "每部门其他工作人员人数上限",
}


def _plain(value):
    if isinstance(value, tuple):
        return list(value)
    return value


def rules_diff(before: CharterRules | None, after: CharterRules) -> list[dict]:
    """Each clause whose value differs: ``{clause, label, before, after}``; ``before`` is
    ``None`` for every clause when there is no charter to compare with."""
    rows: list[dict] = []
    for f in dataclasses.fields(CharterRules):
        name = f.name
        if name in LEVEL_LABELS:
            old_limits = getattr(before, name) if before else None
            new_limits: Limits = getattr(after, name)
            for lf in dataclasses.fields(Limits):
                old = getattr(old_limits, lf.name) if old_limits else None
                new = getattr(new_limits, lf.name)
                if before is None or old != new:
                    rows.append(
                        {
                            "clause": f"{name}.{lf.name}",
                            "label": f"{LEVEL_LABELS[name]}·{LIMIT_LABELS[lf.name]}",
                            "before": old,
                            "after": new,
                        }
                    )
            continue
        old = _plain(getattr(before, name)) if before else None
        new = _plain(getattr(after, name))
        if before is None or old != new:
            rows.append(
                {"clause": name, "label": RULE_LABELS.get(name, name), "before": old, "after": new}
            )
    return rows


def charter_before(motion: Motion) -> Charter | None:
    """The charter the amendment changes: the one in force on the session's day, leaving out
    the version this session itself adopted (which takes effect on that same day)."""
    session = motion.session
    return (
        Charter.objects.filter(school=session.school, effective_from__lte=session.held_on)
        .exclude(effective_from=session.held_on, adopted_by=session.name)
        .order_by("-effective_from")
        .first()
    )


def amendment_diff(motion: Motion) -> list[dict]:
    """The clauses the amendment changes against the charter in force on the session's day.
    A political-status list that only changes order is not a change."""
    if motion.kind != MotionKind.CHARTER or motion.charter_rules is None:
        return []
    after = CharterRules.from_json(motion.charter_rules)
    current = charter_before(motion)
    before = current.parsed if current is not None else None
    rows = rules_diff(before, after)
    return [
        r
        for r in rows
        if not (
            r["clause"] == "political_statuses"
            and r["before"] is not None
            and sorted(r["before"]) == sorted(r["after"])
        )
    ]


def motion_adopted(motion: Motion) -> bool | None:
    """Whether the congress adopted the motion; ``None`` while no poll on it is closed."""
    tally = motion_tally(motion)
    return None if tally is None else tally.adopted


def amendment_adopt(*, actor, motion: Motion) -> Charter:
    """Make the adopted amendment the new charter version, in force from the session's day.
    Idempotent: a second call returns the version already made."""
    session = motion.session
    require_league_committee(actor, session.school)
    if motion.kind != MotionKind.CHARTER or motion.charter_rules is None:
        raise DomainError(_("This motion does not amend the charter."), code="invalid")
    if not motion.charter_label.strip():
        raise DomainError(_("Name the new charter version."), field="charter_label")
    existing = Charter.objects.filter(
        school=session.school, version_label=motion.charter_label.strip()
    ).first()
    if existing is not None:
        if existing.effective_from == session.held_on and existing.adopted_by == session.name:
            return existing
        raise DomainError(
            _("A charter version with this label already exists."), field="charter_label"
        )
    if motion_adopted(motion) is not True:
        raise DomainError(_("The congress has not adopted this amendment."), code="closed")
    current = charter_before(motion)
    name = current.name if current is not None else f"{session.school.name}学生会章程"
    with transaction.atomic():
        # The congress adopts the version; the actor only records it (their event follows).
        charter = charter_services.charter_adopt(
            actor=None,
            school=session.school,
            name=name,
            version_label=motion.charter_label,
            effective_from=session.held_on,
            rules=motion.charter_rules,
            adopted_by=session.name,
        )
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.amendment.adopted",
            target=motion,
            new={"charter": charter.pk, "version": charter.version_label},
        )
    return charter
