"""How the oversight records' and filings' audit events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("oversight", _("Party and League oversight"))
auditlog.kinds(
    {
        "oversight.hearing.recorded": _(
            "%(actor)s recorded the Party committee hearing the union's report: %(target)s"
        ),
        "oversight.hearing.changed": _("%(actor)s changed the report hearing %(target)s"),
        "oversight.hearing.deleted": _("%(actor)s deleted the report hearing %(target)s"),
        "oversight.lecture.recorded": _("%(actor)s recorded the leader's lecture %(target)s"),
        "oversight.lecture.changed": _("%(actor)s changed the leader's lecture %(target)s"),
        "oversight.lecture.deleted": _("%(actor)s deleted the leader's lecture %(target)s"),
        "oversight.plan.recorded": _("%(actor)s recorded the work plan %(target)s"),
        "oversight.plan.changed": _("%(actor)s changed the work plan %(target)s"),
        "oversight.plan.deleted": _("%(actor)s deleted the work plan %(target)s"),
        "oversight.assignment.recorded": _("%(actor)s recorded the leader assignment %(target)s"),
        "oversight.assignment.changed": _("%(actor)s changed the leader assignment %(target)s"),
        "oversight.assignment.deleted": _("%(actor)s deleted the leader assignment %(target)s"),
        "oversight.filing.filed": _("%(actor)s filed %(target)s with the League committee"),
        "oversight.filing.refiled": _("%(actor)s filed %(target)s again"),
        "oversight.filing.accepted": _("%(actor)s accepted the filing %(target)s"),
        "oversight.filing.returned": _("%(actor)s returned the filing %(target)s"),
    }
)
