"""Issuing, superseding and revoking transcripts, and the school's transcript settings. Every
change writes its audit event in the same transaction."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Student
from tuanxue.transcript import selectors
from tuanxue.transcript.models import IssuedTranscript, TranscriptSettings, TranscriptStatus

# No 0/O, 1/I/L: a code read aloud or typed from paper is not mistaken. 31 symbols ** 12 ≈ 2**59.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
MAX_HOURS = Decimal("9999")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def transcript_issue(
    *, actor, student: Student, check_access: bool = True
) -> tuple[IssuedTranscript, bool]:
    """Freeze the student's transcript as it is now. When the current one says the same, it is
    returned as it is (``created`` False); otherwise a new one is issued and the previous
    current one is superseded by it. ``check_access`` is False only for the system's own
    callers (the command line)."""
    if check_access and not selectors.may_issue(build_viewer(actor), student):
        raise DomainError(_("You may not issue this student's transcript."), code="forbidden")
    content = selectors.transcript_content(student)
    digest = selectors.content_hash(content)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _issue(actor=actor, student=student, content=content, digest=digest)
        except IntegrityError:
            # Someone issued the same student's transcript at the same moment: look again.
            continue
    raise DomainError(_("The transcript is being issued by someone else; try again."))


def _issue(*, actor, student, content, digest) -> tuple[IssuedTranscript, bool]:
    # Locks only this student's current transcript row (if any).
    previous = (
        IssuedTranscript.objects.select_for_update()
        .filter(student=student, status=TranscriptStatus.CURRENT)
        .first()
    )
    if previous is not None and previous.content_hash == digest:
        return previous, False
    now = timezone.now()
    if previous is not None:
        IssuedTranscript.objects.filter(pk=previous.pk, status=TranscriptStatus.CURRENT).update(
            status=TranscriptStatus.SUPERSEDED, superseded_at=now
        )
    issued = IssuedTranscript.objects.create(
        school=student.school,
        student=student,
        code=new_code(),
        content=content,
        content_hash=digest,
        issued_at=now,
        issued_by=actor if actor is not None and actor.pk else None,
    )
    if previous is not None:
        IssuedTranscript.objects.filter(pk=previous.pk).update(superseded_by=issued)
        audit_record(
            school=student.school,
            actor=actor,
            action="transcript.superseded",
            target=previous,
            label=_label(previous, student),
            old={"status": TranscriptStatus.CURRENT},
            new={"status": TranscriptStatus.SUPERSEDED, "by": issued.code},
        )
    audit_record(
        school=student.school,
        actor=actor,
        action="transcript.issued",
        target=issued,
        label=_label(issued, student),
        new={
            "student": student.student_no,
            "code": issued.code,
            "hash": digest,
            "total_hours": content["total_hours"],
            "supersedes": previous.code if previous is not None else None,
        },
    )
    return issued, True


def _label(issued: IssuedTranscript, student: Student) -> str:
    return f"{student.name}（{student.student_no}）{issued.code}"


def transcript_revoke(*, actor, transcript: IssuedTranscript, reason: str) -> IssuedTranscript:
    """The school League committee withdraws an issued transcript, saying why."""
    reason = (reason or "").strip()
    if not selectors.may_revoke(build_viewer(actor), transcript.school):
        raise DomainError(
            _("Only the school League committee revokes a transcript."), code="forbidden"
        )
    if not reason:
        raise DomainError(_("Write the reason for revoking the transcript."), field="reason")
    if len(reason) > 500:
        raise DomainError(_("The reason is too long (500 characters at most)."), field="reason")
    with transaction.atomic():
        old_status = (
            IssuedTranscript.objects.filter(pk=transcript.pk)
            .values_list("status", flat=True)
            .first()
        )
        updated = (
            IssuedTranscript.objects.filter(pk=transcript.pk)
            .exclude(status=TranscriptStatus.REVOKED)
            .update(
                status=TranscriptStatus.REVOKED,
                revoked_at=timezone.now(),
                revoked_by=actor,
                revoke_reason=reason,
            )
        )
        if updated != 1:
            raise DomainError(_("This transcript has already been revoked."), code="stale")
        transcript.refresh_from_db()
        audit_record(
            school=transcript.school,
            actor=actor,
            action="transcript.revoked",
            target=transcript,
            label=_label(transcript, transcript.student),
            old={"status": old_status},
            new={"status": TranscriptStatus.REVOKED, "reason": reason},
        )
    return transcript


def _decimal(value, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("%(field)s: enter a number of hours.") % {"field": label}, field=field
        ) from None
    if not number.is_finite() or number < 0 or number > MAX_HOURS:
        raise DomainError(
            _("%(field)s: enter a number of hours from 0 to %(max)s.")
            % {"field": label, "max": MAX_HOURS},
            field=field,
        )
    return number.quantize(Decimal("0.01"))


SETTING_NAMES = [
    *selectors.SETTING_FIELDS.values(),
    "union_hours_per_semester",
    "delegate_hours_per_session",
]


def transcript_settings_update(*, actor, school, values: dict) -> TranscriptSettings:
    """The school League committee sets the requirements and the hours rules. All or nothing."""
    if not selectors.may_edit_settings(build_viewer(actor), school):
        raise DomainError(
            _("Only the school League committee changes the transcript settings."),
            code="forbidden",
        )
    cleaned = {}
    for name in SETTING_NAMES:
        label = str(TranscriptSettings._meta.get_field(name).verbose_name)
        cleaned[name] = _decimal(values.get(name, ""), name, label)
    with transaction.atomic():
        rules, _created = TranscriptSettings.objects.select_for_update().get_or_create(
            school=school
        )
        old = {
            name: Decimal(getattr(rules, name)).quantize(Decimal("0.01")) for name in SETTING_NAMES
        }
        changed = {n: v for n, v in cleaned.items() if old[n] != v}
        if not changed:
            return rules
        for name, value in changed.items():
            setattr(rules, name, value)
        rules.save()
        audit_record(
            school=school,
            actor=actor,
            action="transcript.settings.changed",
            target=rules,
            label=str(school),
            old={n: old[n] for n in changed},
            new=changed,
        )
    return rules
