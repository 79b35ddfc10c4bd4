"""How the federation's audit events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("federation", _("Provincial federation"))
auditlog.kinds(
    {
        "federation.submission.submitted": _(
            "%(actor)s submitted the self-assessment %(target)s to the federation"
        ),
        "federation.submission.accepted": _("%(actor)s accepted the self-assessment %(target)s"),
        "federation.submission.returned": _("%(actor)s returned the self-assessment %(target)s"),
        "federation.standing.changed": _("%(actor)s recorded a new standing of %(target)s"),
    }
)
auditlog.link("federation.submission", "federation:submission")
