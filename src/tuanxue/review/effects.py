"""What a published review does: credit in the ledger, traceable to the review; a removal
proposal for a failed result, decided by people; the export of results for recommendations."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.rules import CharterRules
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.ledger import services as ledger
from tuanxue.ledger.models import CreditCategory, CreditEntry, CreditUnit
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Membership, Role
from tuanxue.review.models import (
    DIMENSIONS,
    DisciplineRecord,
    Grade,
    ProposalStatus,
    RemovalProposal,
    ReviewResult,
    ReviewSession,
)

RESULT_SOURCE = "review.result"
GRADE_ZH = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}


def source_id(result: ReviewResult, unit: str) -> str:
    return f"{result.pk}:{unit}"


def credit_results(
    *, actor, session: ReviewSession, results: list[ReviewResult], rules: CharterRules
) -> list[CreditEntry]:
    """任职履职学时 (hours) and 综合测评加分 (points) per result, by the charter's amounts; each
    entry's source is the result. The school League committee's publication certifies them."""
    entries = []
    for result in results:
        amounts = rules.review_credit.get(result.grade, {})
        grade = GRADE_ZH[result.grade]
        for unit, label in (
            (CreditUnit.HOURS, "任职履职学时"),
            (CreditUnit.POINTS, "综合测评加分"),
        ):
            amount = Decimal(str(amounts.get(unit, "0")))
            if amount <= 0:
                continue
            entries.append(
                ledger.credit_record(
                    actor=actor,
                    student=result.reviewee.student,
                    category=CreditCategory.REVIEW,
                    amount=amount,
                    unit=unit,
                    source_type=RESULT_SOURCE,
                    source_id=source_id(result, unit),
                    source_label=f"{session.semester.code}述职评议 {grade}（{label}）",
                )
            )
    if entries and actor is not None:
        viewer = build_viewer(actor)
        if viewer.is_league_committee(session.school):
            ledger.certify_batch(
                actor=actor,
                school=session.school,
                entries=entries,
                note=f"{session.semester.code}述职评议",
            )
    return entries


def result_for_entry(entry: CreditEntry) -> ReviewResult | None:
    """The review result a ledger entry came from (its trace back to the review)."""
    if entry.source_type != RESULT_SOURCE:
        return None
    pk = entry.source_id.split(":", 1)[0]
    return (
        ReviewResult.objects.filter(pk=pk)
        .select_related("reviewee__session__semester", "reviewee__session__union")
        .first()
    )


# -- removal proposals ---------------------------------------------------------------------------


def proposals_url(school) -> str:
    return reverse("review:proposals", args=[school.code])


def _league_users(union) -> list:
    from tuanxue.org.models import RoleGrant

    grants = RoleGrant.objects.filter(
        school=union.school, role=Role.SCHOOL_LEAGUE, revoked_at__isnull=True
    ).select_related("user")
    return [g.user for g in grants]


def _proposal_open(
    *, actor, membership: Membership, basis: str, **source
) -> RemovalProposal | None:
    try:
        with transaction.atomic():
            proposal = RemovalProposal.objects.create(
                school=membership.school,
                membership=membership,
                basis=basis,
                opened_at=timezone.now(),
                **source,
            )
    except IntegrityError:
        return None  # one pending proposal per post is enough
    audit_record(
        school=membership.school,
        actor=actor,
        action="review.removal.proposed",
        target=proposal,
        new={"membership": membership.pk, "student": membership.student.student_no, "basis": basis},
    )
    notify(
        users=_league_users(membership.union),
        school=membership.school,
        text=_("A removal of %(name)s from %(post)s is proposed: %(basis)s")
        % {"name": membership.student.name, "post": membership.body.name, "basis": basis},
        url=proposals_url(membership.school),
    )
    return proposal


def proposal_open_for_result(*, actor, result: ReviewResult) -> RemovalProposal | None:
    reviewee = result.reviewee
    membership = reviewee.membership
    if membership.end is not None:
        return None
    session = reviewee.session
    basis = _("%(session)s: grade %(grade)s (%(score)s)") % {
        "session": str(session),
        "grade": Grade(result.grade).label,
        "score": result.overall,
    }
    return _proposal_open(actor=actor, membership=membership, basis=basis, result=result)


def proposal_open_for_sanction(*, actor, record: DisciplineRecord) -> list[RemovalProposal]:
    posts = Membership.objects.filter(student=record.student, end__isnull=True).select_related(
        "student", "body", "union__school"
    )
    basis = _("Sanction of %(day)s: %(basis)s") % {
        "day": record.decided_on.isoformat(),
        "basis": record.basis,
    }
    opened = [
        _proposal_open(actor=actor, membership=m, basis=basis, discipline=record) for m in posts
    ]
    return [p for p in opened if p is not None]


def proposal_decide(
    *, actor, proposal: RemovalProposal, remove: bool, comment: str
) -> RemovalProposal:
    """The League committee decides: remove through the exits flow (the review or the sanction
    as its basis), or keep the member, saying why."""
    from tuanxue.selection.exits import services as exits

    comment = comment.strip()
    if not comment:
        raise DomainError(_("Write the reason for the decision."), field="comment")
    membership = proposal.membership
    if actor is None or not build_viewer(actor).guides_union(membership.union):
        raise DomainError(_("Only the League committee may decide this."), code="forbidden")
    with transaction.atomic():
        updated = RemovalProposal.objects.filter(
            pk=proposal.pk, status=ProposalStatus.PENDING
        ).update(
            status=ProposalStatus.REMOVED if remove else ProposalStatus.KEPT,
            decided_by=actor,
            decided_at=timezone.now(),
            comment=comment,
        )
        if not updated:
            raise DomainError(_("This proposal has already been decided."), code="stale")
        proposal.refresh_from_db()
        if remove:
            if membership.end is not None:
                raise DomainError(_("This post has already ended."), code="stale")
            exits.member_remove(
                actor=actor,
                membership=membership,
                reason=f"{proposal.basis}；{comment}",
                basis="review" if proposal.result_id else "discipline",
            )
        audit_record(
            school=proposal.school,
            actor=actor,
            action="review.removal.decided",
            target=proposal,
            old={"status": ProposalStatus.PENDING},
            new={"status": proposal.status, "comment": comment},
        )
    return proposal


# -- the export -----------------------------------------------------------------------------------


def _text(cell, value) -> None:
    """Write ``value``; a text that a spreadsheet would read as a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        cell.data_type = "s"


def results_workbook(session: ReviewSession, results: list[ReviewResult]) -> bytes:
    """The published results for recommendations (推优, 优秀共青团员/团干部): evidence for awards,
    never a change to anyone's post. Headers in Chinese (the file goes to the offices)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "述职评议结果"
    header = ["学号", "姓名", "职务", "政治态度", "道德品行", "学习情况", "工作成效", "纪律作风"]
    header += ["综合得分", "等次", "评分表数", "去掉最高最低分"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_no, result in enumerate(results, start=2):
        reviewee = result.reviewee
        values = [reviewee.student.student_no, reviewee.student.name, reviewee.post]
        values += [float(result.dimensions[d]) for d in DIMENSIONS]
        values += [
            float(result.overall),
            GRADE_ZH[result.grade],
            result.sheets,
            "是" if result.trimmed else "否",
        ]
        for col, value in enumerate(values, start=1):
            _text(sheet.cell(row=row_no, column=col), value)
    note_row = len(results) + 3
    _text(
        sheet.cell(row=note_row, column=1),
        f"{session}（{session.held_on:%Y-%m-%d}）。评议结果作为评优评先的参考依据，"
        "不与工作岗位简单直接挂钩。",
    )
    book.properties.title = str(session)[:200]
    out = BytesIO()
    book.save(out)
    return out.getvalue()
