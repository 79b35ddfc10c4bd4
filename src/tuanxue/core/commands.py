"""Small pieces shared by the ``tuanxue`` commands: finding the school, reading a date.

Messages go through gettext, so a college's operator reads them in Chinese.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from tuanxue.core.models import School


def school_by_code(code: str | None, *, sole_default: bool = True) -> School:
    """The school with this code; without a code, the only school there is (if there is one)."""
    if code:
        school = School.objects.filter(code=code).first()
        if school is None:
            raise CommandError(
                _("No school has the code %(code)r. `tuanxue school list` shows the codes.")
                % {"code": code}
            )
        return school
    schools = list(School.objects.all()[:2]) if sole_default else []
    if len(schools) == 1:
        return schools[0]
    raise CommandError(_("Name the school with --school CODE."))


def parse_date(value: str, *, option: str = "--date") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("%(option)s must be a date like 2020-09-30, not %(value)r")
            % {"option": option, "value": value}
        ) from exc
