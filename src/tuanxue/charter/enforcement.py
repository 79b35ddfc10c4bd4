"""The charter as a policy on every write to the organisation (registered in apps.ready)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from tuanxue.charter.academic import academic_verdict, political_ok
from tuanxue.charter.compliance import OTHER_LEVEL_WORDS
from tuanxue.charter.services import charter_in_force
from tuanxue.core.errors import DomainError
from tuanxue.org.models import HEAD_TITLES, BodyKind, Department, Membership, Title


def _open_from(day: dt.date) -> Q:
    """Posts that are held on ``day`` or later (a cap must hold on every day of the new term)."""
    return Q(end__isnull=True) | Q(end__gt=day)


def _refuse(message: str, field: str = "title") -> None:
    raise DomainError(message, field=field, code="charter")


class CharterPolicy:
    def allowed_titles(self, *, union, day: dt.date) -> list[str] | None:
        charter = charter_in_force(union.school, day)
        return None if charter is None else list(charter.parsed.allowed_titles)

    def check_membership(self, *, body, student, title: str, day: dt.date) -> None:
        union = body.union
        charter = charter_in_force(union.school, day)
        if charter is None:
            return
        rules = charter.parsed
        label = charter.version_label
        if title not in rules.allowed_titles:
            _refuse(
                _(
                    "Title %(title)s is not allowed by the charter (%(charter)s); allowed titles: "
                    "%(allowed)s."
                )
                % {
                    "title": Title(title).label,
                    "charter": label,
                    "allowed": "、".join(str(Title(t).label) for t in rules.allowed_titles),
                }
            )
        if not political_ok(student, rules):
            _refuse(
                _(
                    "%(name)s is %(status)s; the charter (%(charter)s) requires a Party or League "
                    "member."
                )
                % {
                    "name": student.name,
                    "status": student.get_political_status_display(),
                    "charter": label,
                },
                field="student",
            )
        verdict = academic_verdict(student, day, rules)
        if verdict.eligible is not True:
            _refuse(
                _(
                    "%(name)s does not meet the academic rule of the charter (%(charter)s): "
                    "%(reasons)s."
                )
                % {"name": student.name, "charter": label, "reasons": "；".join(verdict.reasons)},
                field="student",
            )
        limits = rules.limits_for(union)
        posts = Membership.objects.filter(union=union).filter(_open_from(day))
        checks = [("staff", posts.count(), _("staff in %(union)s"))]
        if body.kind == BodyKind.PRESIDIUM:
            checks.append(("presidium", posts.filter(body=body).count(), _("presidium members")))
        elif title in HEAD_TITLES:
            heads = posts.filter(body=body, title__in=HEAD_TITLES).count()
            checks.append(("heads", heads, _("heads of %(body)s")))
        elif title == Title.STAFF:
            staff = posts.filter(body=body, title=Title.STAFF).count()
            checks.append(("dept_staff", staff, _("other staff of %(body)s")))
        for cap, actual, what in checks:
            if not limits.allows_one_more(cap, actual):
                _refuse(
                    _(
                        "The charter (%(charter)s) allows at most %(limit)s %(what)s; there are "
                        "already %(actual)s."
                    )
                    % {
                        "charter": label,
                        "limit": limits.bounds(cap)[1],
                        "what": what % {"union": union.name, "body": body.name},
                        "actual": actual,
                    }
                )

    def check_department(self, *, union, name: str, remit: str, department=None) -> None:
        from django.utils import timezone

        day = timezone.localdate()
        charter = charter_in_force(union.school, day)
        if charter is None:
            return
        rules = charter.parsed
        renamed = department is None or department.name != name
        level_words = [w for w in OTHER_LEVEL_WORDS if w in name] if renamed else []
        if level_words:
            _refuse(
                _(
                    "Under the charter (%(charter)s) a union has a presidium and work departments "
                    "and no other standing level; %(name)s (a “%(word)s”) would be one. Name it "
                    "as a department (…部)."
                )
                % {"charter": charter.version_label, "name": name, "word": level_words[0]},
                field="name",
            )
        forbidden = rules.forbidden_in(f"{name} {remit}")
        if forbidden:
            _refuse(
                _(
                    "A union must not take on the school's administrative functions (%(functions)s); "
                    "the remit of %(name)s does."
                )
                % {"functions": "、".join(forbidden), "name": name},
                field="remit",
            )
        if department is None:
            limit = rules.limits_for(union).departments_max
            actual = Department.objects.filter(union=union, kind=BodyKind.DEPARTMENT).count()
            if limit is not None and actual + 1 > limit:
                _refuse(
                    _(
                        "The charter (%(charter)s) allows at most %(limit)s departments in "
                        "%(union)s; there are already %(actual)s."
                    )
                    % {
                        "charter": charter.version_label,
                        "limit": limit,
                        "union": union.name,
                        "actual": actual,
                    },
                    field="name",
                )
