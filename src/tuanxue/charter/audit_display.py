"""How the charter's and the self-assessment's audit events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("charter", _("Charter and self-assessment"))
auditlog.kinds(
    {
        "charter.version.adopted": _("%(actor)s adopted the charter version %(target)s"),
        "charter.assessment.saved": _("%(actor)s saved the self-assessment %(target)s"),
        "charter.attestation.recorded": _("%(actor)s recorded the document %(target)s"),
        "charter.congress.recorded": _("%(actor)s recorded the congress %(target)s"),
        "charter.guidance.set": _("%(actor)s recorded the League guidance of %(target)s"),
        "charter.guidance.cleared": _("%(actor)s removed the League guidance of %(target)s"),
        "charter.attestation.changed": _("%(actor)s changed the document %(target)s"),
        "charter.attestation.deleted": _("%(actor)s deleted the document %(target)s"),
        "charter.congress.changed": _("%(actor)s changed the congress record %(target)s"),
        "charter.congress.deleted": _("%(actor)s deleted the congress record %(target)s"),
    }
)
