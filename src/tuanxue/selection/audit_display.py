"""How recruitment, approval and exit events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("selection", _("Cadre selection and exits"))
auditlog.kinds(
    {
        "selection.round.opened": _("%(actor)s opened the recruitment round %(target)s"),
        "selection.round.extended": _("%(actor)s extended the recruitment round %(target)s"),
        "selection.round.closed": _("%(actor)s closed the recruitment round %(target)s"),
        "selection.round.cancelled": _("%(actor)s cancelled the recruitment round %(target)s"),
        "selection.chain.created": _("%(actor)s set up the approval chain %(target)s"),
        "selection.application.submitted": _("%(actor)s applied: %(target)s"),
        "selection.application.withdrawn": _("%(actor)s withdrew the application %(target)s"),
        "selection.application.resubmitted": _("%(actor)s resubmitted the application %(target)s"),
        "selection.application.retried": _("%(actor)s tried the appointment of %(target)s again"),
        "selection.step.approved": _("%(actor)s approved a step of %(target)s"),
        "selection.step.rejected": _("%(actor)s rejected %(target)s"),
        "selection.step.returned": _("%(actor)s returned %(target)s for changes"),
        "selection.election.recorded": _("%(actor)s recorded the election result of %(target)s"),
        "selection.handover.written": _("%(actor)s wrote a handover note for %(target)s"),
        "selection.resignation.requested": _("%(actor)s asked to resign from %(target)s"),
        "selection.resignation.confirmed": _("%(actor)s confirmed the resignation %(target)s"),
        "selection.resignation.declined": _("%(actor)s declined the resignation %(target)s"),
        "selection.resignation.withdrawn": _("%(actor)s withdrew the resignation %(target)s"),
        "selection.member.removed": _("%(actor)s removed %(target)s from the post"),
        "selection.term.ended": _("%(actor)s ended the term of %(target)s"),
        "selection.demo.applications": _("%(actor)s built the demo applications in %(target)s"),
        "selection.demo.finished_round": _("%(actor)s built the finished demo round %(target)s"),
    }
)
auditlog.link("selection.recruitmentround", "selection:round")
auditlog.link("selection.application", "selection:application")
