"""How the transcript's events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("transcript", _("Second-classroom transcript"))
auditlog.kinds(
    {
        "transcript.issued": _("%(actor)s issued the transcript %(target)s"),
        "transcript.superseded": _("%(actor)s superseded the transcript %(target)s by a newer one"),
        "transcript.revoked": _("%(actor)s revoked the transcript %(target)s"),
        "transcript.settings.changed": _(
            "%(actor)s changed the transcript requirements of %(target)s"
        ),
        "transcript.batch.started": _("%(actor)s started a batch of transcripts for %(target)s"),
    }
)
