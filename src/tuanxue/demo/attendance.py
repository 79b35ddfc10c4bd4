"""The ledger part of the demo school: hours and credit from the demo's attendance.

``build_ledger_demo(school)`` runs after the activities demo. It checks out every attendance of
an activity (or shift) that has ended, at its end, through ``check_out`` (so the hours, the
audit events and the ledger entries are the real ones); the school League committee then
certifies the older half of the entries and records one correction. Running it twice changes
nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from tuanxue.activities.attendance import services
from tuanxue.activities.models import Attendance, CheckMethod
from tuanxue.core.models import School
from tuanxue.ledger import services as ledger
from tuanxue.ledger.models import CreditCategory, CreditEntry
from tuanxue.org.models import Role, RoleGrant

CORRECTION_NOTE = "演出彩排时长补录（经校团委核实）"


def build_ledger_demo(school: School) -> dict[str, int]:
    grant = (
        RoleGrant.objects.filter(school=school, role=Role.SCHOOL_LEAGUE, revoked_at__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if grant is None:
        return {"checked_out": 0, "certified": 0, "corrections": 0}
    league = grant.user
    now = timezone.now()
    checked_out = 0
    rows = (
        Attendance.objects.filter(school=school, checked_out_at__isnull=True)
        .select_related("activity", "student", "signup__role")
        .order_by("pk")
    )
    for row in rows:
        end = services.window_of(row).ends_at
        if end > now:
            continue
        services.check_out(
            actor=league,
            activity=row.activity,
            student=row.student,
            method=CheckMethod.STAFF,
            at=end,
        )
        checked_out += 1
    entries = list(
        CreditEntry.objects.filter(school=school, corrects__isnull=True).order_by(
            "created_at", "pk"
        )
    )
    certified = 0
    older = entries[: len(entries) // 2]
    if older:
        ledger.certify_batch(actor=league, school=school, entries=older, note="演示：第一批认证")
        certified = len(older)
    corrections = 0
    volunteer = next((e for e in entries if e.category == CreditCategory.VOLUNTEER), None)
    target = volunteer or (entries[0] if entries else None)
    if target is not None and not CreditEntry.objects.filter(corrects=target).exists():
        ledger.credit_correct(
            actor=league, entry=target, amount=Decimal("0.50"), note=CORRECTION_NOTE
        )
        corrections = 1
    return {"checked_out": checked_out, "certified": certified, "corrections": corrections}
