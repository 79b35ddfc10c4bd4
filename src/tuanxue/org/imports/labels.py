"""What an import's counts are called, on the pages and in the command's output."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COUNT_LABELS = {
    "students_created": gettext_lazy("new students"),
    "students_updated": gettext_lazy("students updated"),
    "students_unchanged": gettext_lazy("students unchanged"),
    "colleges_created": gettext_lazy("new colleges"),
    "majors_created": gettext_lazy("new majors"),
    "classes_created": gettext_lazy("new classes"),
    "records_created": gettext_lazy("records imported"),
    "records_replaced": gettext_lazy("records replaced"),
    "semesters": gettext_lazy("semesters"),
    "memberships_created": gettext_lazy("new posts"),
    "memberships_updated": gettext_lazy("posts closed or corrected"),
    "memberships_unchanged": gettext_lazy("posts unchanged"),
    "departments_created": gettext_lazy("new departments"),
    "staff_created": gettext_lazy("new staff"),
    "staff_updated": gettext_lazy("staff updated"),
    "staff_unchanged": gettext_lazy("staff unchanged"),
}


def counts_text(counts: dict) -> str:
    """「新学生：300，新班级：6」 rather than ``students_created=300``."""
    return _("; ").join(
        _("%(label)s: %(n)s") % {"label": COUNT_LABELS.get(key, key), "n": value}
        for key, value in counts.items()
    )
