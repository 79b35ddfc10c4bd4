"""Check-in: delegate cards with a QR code, the door, self check-in with the hall code, and the
figures of the projector page.

The hall code is a 6-digit code shown on the projector. It is HMAC-SHA256 over the session id and
the current 60-second window (keyed with a key derived from SECRET_KEY), truncated the way HOTP
does (RFC 4226). A delegate who is in the hall can read it; one who is not cannot guess it. The
code of the previous window is still accepted, so a delegate typing at the turn of a minute is
not refused.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import math
import time
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.congress.models import CongressSession, Delegate, DelegateStatus, SessionStatus
from tuanxue.congress.sessions.services import is_door_staff
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.parsing import is_number
from tuanxue.core.security import attempts

WINDOW_SECONDS = 60
DOOR_STATUSES = (SessionStatus.NOTICE, SessionStatus.OPEN)

# -- the hall code -------------------------------------------------------------------------------


def _hall_key() -> bytes:
    return hashlib.sha256(f"tuanxue.congress.hall:{settings.SECRET_KEY}".encode()).digest()


def hall_code(session: CongressSession, at: float | None = None) -> str:
    window = int((time.time() if at is None else at) // WINDOW_SECONDS)
    mac = hmac.new(_hall_key(), f"{session.pk}:{window}".encode(), hashlib.sha256).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def hall_code_seconds_left(at: float | None = None) -> int:
    now = time.time() if at is None else at
    return WINDOW_SECONDS - int(now % WINDOW_SECONDS)


def hall_code_valid(session: CongressSession, code: str, at: float | None = None) -> bool:
    code = (code or "").strip()
    if len(code) != 6 or not is_number(code):
        return False
    now = time.time() if at is None else at
    return any(
        hmac.compare_digest(code, hall_code(session, now - shift)) for shift in (0, WINDOW_SECONDS)
    )


# -- checking in ---------------------------------------------------------------------------------


def _find_card(session: CongressSession, card_code: str) -> Delegate:
    code = (card_code or "").strip().rstrip("/")
    if "/card/" in code:  # a scanned URL
        code = code.rsplit("/card/", 1)[1].strip("/")
    delegate = (
        Delegate.objects.select_related("student", "college", "session__school")
        .filter(session=session, card_code=code)
        .first()
    )
    if delegate is None:
        raise DomainError(_("No delegate card of this session has this code."), field="card_code")
    if delegate.status != DelegateStatus.CONFIRMED:
        raise DomainError(
            _("%(name)s is not an entitled delegate (%(status)s).")
            % {"name": delegate.student.name, "status": delegate.get_status_display()},
            field="card_code",
        )
    return delegate


def _mark_present(*, actor, delegate: Delegate, how: str) -> tuple[Delegate, bool]:
    """Check in once: a second scan changes nothing and writes nothing."""
    now = timezone.now()
    with transaction.atomic():
        updated = Delegate.objects.filter(pk=delegate.pk, checked_in_at__isnull=True).update(
            checked_in_at=now
        )
        if updated:
            audit_record(
                school=delegate.session.school,
                actor=actor,
                action="congress.delegate.checked_in",
                target=delegate,
                old={"checked_in_at": None},
                new={"checked_in_at": now, "by": how},
            )
    delegate.refresh_from_db(fields=["checked_in_at"])
    return delegate, bool(updated)


def delegate_check_in(*, actor, session: CongressSession, card_code: str) -> Delegate:
    """At the door: the League committee or a presidium member scans or types the card code.
    Idempotent; ``delegate.newly_checked_in`` tells whether this call checked them in."""
    if not is_door_staff(actor, session):
        raise DomainError(
            _("Only the League committee or the union's presidium keep the door."),
            code="forbidden",
        )
    if session.status not in DOOR_STATUSES:
        raise DomainError(
            _("Check-in is possible on public notice or in session, not when %(status)s.")
            % {"status": session.get_status_display()},
            code="state",
        )
    delegate = _find_card(session, card_code)
    delegate, new = _mark_present(actor=actor, delegate=delegate, how="door")
    delegate.newly_checked_in = new
    return delegate


def delegate_self_check_in(
    *, actor, session: CongressSession, card_code: str, hall: str, at: float | None = None
) -> Delegate:
    """The delegate on their own phone, with the hall code from the projector."""
    delegate = _find_card(session, card_code)
    user_id = delegate.student.user_id
    if actor is None or user_id is None or actor.pk != user_id:
        raise DomainError(_("Only the delegate may check in with this card."), code="forbidden")
    if session.status != SessionStatus.OPEN:
        raise DomainError(
            _("You can check yourself in only while the session is open."), code="state"
        )
    limit = {
        "scope": "hall-code",
        "key": str(actor.pk),
        "seconds": settings.CODE_ATTEMPT_WINDOW,
    }
    wait = attempts.wait_seconds(limit=settings.CODE_ATTEMPT_LIMIT, **limit)
    if wait:
        raise DomainError(attempts.too_many_message(wait), field="hall")
    if not hall_code_valid(session, hall, at):
        attempts.record_failure(**limit)
        raise DomainError(
            _("The hall code is not right. Type the 6 digits shown on the screen in the hall."),
            field="hall",
        )
    delegate, new = _mark_present(actor=actor, delegate=delegate, how="self")
    delegate.newly_checked_in = new
    return delegate


# -- the projector -------------------------------------------------------------------------------


@dataclass
class Attendance:
    entitled: int
    present: int
    quorum: Decimal

    @property
    def threshold(self) -> int:
        return math.ceil(Fraction(self.quorum) * self.entitled)

    @property
    def reached(self) -> bool:
        return self.entitled > 0 and self.present >= self.threshold

    def to_json(self) -> dict:
        return {
            "entitled": self.entitled,
            "present": self.present,
            "quorum": str(self.quorum),
            "threshold": self.threshold,
            "reached": self.reached,
        }


def attendance(session: CongressSession) -> Attendance:
    entitled = Delegate.objects.filter(session=session, status=DelegateStatus.CONFIRMED)
    return Attendance(
        entitled=entitled.count(),
        present=entitled.filter(checked_in_at__isnull=False).count(),
        quorum=Decimal(session.quorum),
    )


# -- cards ---------------------------------------------------------------------------------------


def card_path(delegate: Delegate) -> str:
    return reverse(
        "congress:card",
        args=[delegate.session.school.code, delegate.session_id, delegate.card_code],
    )


def card_url(delegate: Delegate) -> str:
    return settings.SITE_URL.rstrip("/") + card_path(delegate)


def card_svg(delegate: Delegate, scale: int = 3) -> str:
    return segno.make(card_url(delegate), error="m").svg_inline(scale=scale, border=2)


def cards_pdf(session: CongressSession, delegates: list[Delegate]) -> bytes:
    """Eight cards per A4 page (2 × 4), each with name, college, session and the QR code."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from tuanxue.core.documents.fonts import cjk_font

    font = cjk_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=font)
    pdf.setTitle(escape(f"{session.name} {_('delegate cards')}"))
    page_w, page_h = A4
    margin = 10 * mm
    card_w = (page_w - 2 * margin) / 2
    card_h = (page_h - 2 * margin) / 4
    for index, delegate in enumerate(delegates):
        slot = index % 8
        if index and slot == 0:
            pdf.showPage()
        x = margin + (slot % 2) * card_w
        y = page_h - margin - (slot // 2 + 1) * card_h
        pdf.setDash(3, 3)
        pdf.rect(x + 2 * mm, y + 2 * mm, card_w - 4 * mm, card_h - 4 * mm)
        pdf.setDash()
        pdf.setFont(font, 9)
        pdf.drawString(x + 6 * mm, y + card_h - 10 * mm, session.name)
        pdf.setFont(font, 18)
        pdf.drawString(x + 6 * mm, y + card_h - 22 * mm, delegate.student.name)
        pdf.setFont(font, 10)
        pdf.drawString(x + 6 * mm, y + card_h - 30 * mm, delegate.college.name)
        pdf.setFont(font, 8)
        pdf.drawString(x + 6 * mm, y + 8 * mm, _("Delegate card"))
        pdf.drawString(x + 6 * mm, y + 4.5 * mm, delegate.card_code)
        _draw_qr(pdf, card_url(delegate), x + card_w - 44 * mm, y + (card_h - 40 * mm) / 2, 40 * mm)
    if not delegates:
        pdf.setFont(font, 12)
        pdf.drawString(margin, page_h - margin - 12, _("No confirmed delegates yet."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_qr(pdf, data: str, x: float, y: float, size: float) -> None:
    """Draw segno's module matrix as filled squares (vector, sharp at any print size)."""
    qr = segno.make(data, error="m")
    rows = [list(row) for row in qr.matrix]
    border = 2
    count = len(rows) + 2 * border
    module = size / count
    pdf.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x + (c + border) * module,
                    y + size - (r + border + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )
