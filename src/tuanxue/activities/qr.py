"""Check-in codes: the organiser's rotating QR, its six-digit twin and the student's own code.

The rotating token names an activity and a time window (``CHECKIN_QR_SECONDS``, 30 s by
default) and carries an HMAC over both, keyed by ``SECRET_KEY`` with a salt of its own. A token is
accepted in its own window and the next one only, so a photo of the organiser's screen sent to a
friend stops working within a minute. The six-digit code is a second reading of the same HMAC
for students whose camera will not scan: it rotates with the QR and is accepted in the same two
windows.

The student's personal code is a signed, time-limited value naming the student; the organiser's
scanner (or a person typing) enters it on the check-in screen.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from tuanxue.core.parsing import is_number

QR_SALT = "tuanxue.activities.checkin-qr"
STUDENT_SALT = "tuanxue.activities.student-code"
MAC_CHARS = 20  # hex digits of the HMAC kept in the token: 80 bits


def window_seconds() -> int:
    return max(5, int(getattr(settings, "CHECKIN_QR_SECONDS", 30)))


def student_code_seconds() -> int:
    return int(getattr(settings, "CHECKIN_STUDENT_CODE_SECONDS", 300))


def window_index(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return math.floor(now.timestamp() / window_seconds())


def seconds_left(now: dt.datetime | None = None) -> int:
    """Seconds until the current window ends (when the organiser's screen shows a new code)."""
    now = now or timezone.now()
    size = window_seconds()
    return max(1, math.ceil(size - (now.timestamp() % size)))


def _mac(activity_id: int, window: int) -> str:
    return salted_hmac(
        QR_SALT, f"{activity_id}:{window}", secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def make_token(activity_id: int, *, window: int | None = None, now=None) -> str:
    """The rotating token for an activity in a window (the current one unless given)."""
    if window is None:
        window = window_index(now)
    return f"{activity_id}.{window}.{_mac(activity_id, window)[:MAC_CHARS]}"


def make_code(activity_id: int, *, window: int | None = None, now=None) -> str:
    """The six-digit code shown next to the QR, rotating with it."""
    if window is None:
        window = window_index(now)
    return f"{int(_mac(activity_id, window)[-12:], 16) % 1_000_000:06d}"


@dataclass(frozen=True)
class TokenCheck:
    """What a scanned token says: ``ok`` with the activity and window, or a ``problem``
    ("invalid": not ours or altered; "expired": older than the previous window)."""

    ok: bool
    activity_id: int | None = None
    window: int | None = None
    problem: str = ""


def parse_token(token: str) -> tuple[int, int, str] | None:
    parts = (token or "").split(".")
    if len(parts) != 3:
        return None
    try:
        activity_id, window = int(parts[0]), int(parts[1])
    except ValueError:
        return None
    if activity_id <= 0 or window < 0:
        return None
    return activity_id, window, parts[2]


def check_token(token: str, *, now: dt.datetime | None = None) -> TokenCheck:
    """Verify a rotating token: the HMAC first (a tampered token is "invalid" whatever its
    age), then its window against now (current or previous window only)."""
    parsed = parse_token(token)
    if parsed is None:
        return TokenCheck(False, problem="invalid")
    activity_id, window, mac = parsed
    expected = _mac(activity_id, window)[:MAC_CHARS]
    if not constant_time_compare(mac, expected):
        return TokenCheck(False, problem="invalid")
    current = window_index(now)
    if window > current:
        return TokenCheck(False, activity_id, window, problem="invalid")
    if window < current - 1:
        return TokenCheck(False, activity_id, window, problem="expired")
    return TokenCheck(True, activity_id, window)


def code_matches(activity_id: int, code: str, *, now: dt.datetime | None = None) -> int | None:
    """The window whose six-digit code for this activity equals ``code`` (current or
    previous), or None."""
    code = (code or "").strip()
    if len(code) != 6 or not is_number(code):
        return None
    current = window_index(now)
    for window in (current, current - 1):
        if constant_time_compare(make_code(activity_id, window=window), code):
            return window
    return None


# -- the student's personal code ---------------------------------------------------------------


def make_student_code(student) -> str:
    """A signed value naming the student, valid for ``CHECKIN_STUDENT_CODE_SECONDS``."""
    signer = signing.TimestampSigner(salt=STUDENT_SALT)
    return signer.sign(f"{student.school_id}-{student.pk}")


def read_student_code(code: str, *, now: dt.datetime | None = None) -> tuple[int, int] | None:
    """(school id, student id) from a personal code, or None when it is altered or too old."""
    signer = signing.TimestampSigner(salt=STUDENT_SALT)
    try:
        value, signed_at = _unsign_with_time(signer, (code or "").strip())
    except signing.BadSignature:
        return None
    now = now or timezone.now()
    age = (now - signed_at).total_seconds()
    if age > student_code_seconds() or age < -window_seconds():
        return None
    school_id, _, student_id = value.partition("-")
    try:
        return int(school_id), int(student_id)
    except ValueError:
        return None


def _unsign_with_time(signer: signing.TimestampSigner, code: str) -> tuple[str, dt.datetime]:
    """Unsign and return the signing time, so the age is measured against ``now``."""
    value = signing.Signer.unsign(signer, code)
    value, timestamp = value.rsplit(signer.sep, 1)
    seconds = signing.b62_decode(timestamp)
    return value, dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


# -- pictures ---------------------------------------------------------------------------------


def qr_svg(data: str, *, scale: int = 6, title: str = "") -> str:
    """An inline SVG of ``data`` as a QR code (no external request, no script)."""
    qr = segno.make(data, error="m")
    return qr.svg_inline(scale=scale, border=2, title=title or None, omitsize=True)
