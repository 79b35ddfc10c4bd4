"""How the kernel's own audit events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("core", _("Accounts and API tokens"))
auditlog.kinds(
    {
        "core.token.created": _("%(actor)s created the API token %(target)s"),
        "core.token.revoked": _("%(actor)s revoked the API token %(target)s"),
    }
)
