"""How the credit ledger's events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("ledger", _("Credit ledger"))
auditlog.kinds(
    {
        "ledger.entry.recorded": _("%(actor)s recorded the credit %(target)s"),
        "ledger.entry.corrected": _("%(actor)s corrected the credit %(target)s"),
        "ledger.batch.certified": _("%(actor)s certified the batch %(target)s"),
    }
)
