"""How the student voice reads in the audit log (a confidential student is never named here:
their own actions are recorded without an actor)."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("voice", _("Student voice"))
auditlog.kinds(
    {
        "voice.setup": _("%(actor)s set up the student voice for %(target)s"),
        "voice.department.created": _("%(actor)s added the answering department %(target)s"),
        "voice.department.staff_added": _("%(actor)s added a staff member to %(target)s"),
        "voice.department.staff_removed": _("%(actor)s took a staff member off %(target)s"),
        "voice.officer.appointed": _("%(actor)s appointed the voice officer %(target)s"),
        "voice.category.created": _("%(actor)s added the demand category %(target)s"),
        "voice.category.updated": _("%(actor)s changed the demand category %(target)s"),
        "voice.calendar.set": _("%(actor)s marked %(target)s in the school calendar"),
        "voice.reception_day.created": _("%(actor)s scheduled the reception day %(target)s"),
        "voice.demand.submitted": _("%(actor)s submitted the demand %(target)s"),
        "voice.demand.recorded": _("%(actor)s recorded the demand %(target)s at the desk"),
        "voice.demand.forwarded": _("%(actor)s forwarded the demand %(target)s"),
        "voice.demand.merged": _("%(actor)s merged the demand %(target)s into another"),
        "voice.demand.answered": _("%(actor)s answered the demand %(target)s"),
        "voice.demand.rated": _("%(actor)s rated the answer to %(target)s"),
        "voice.demand.reopened": _("%(actor)s reopened the demand %(target)s"),
        "voice.demand.closed": _("%(actor)s closed the demand %(target)s"),
        "voice.demand.reminded": _("The deadline of %(target)s is near: reminder sent (%(actor)s)"),
        "voice.demand.escalated": _("The demand %(target)s was overdue and escalated (%(actor)s)"),
        "voice.identity.revealed": _("%(actor)s looked up who submitted %(target)s"),
        "voice.abuse.reported": _("%(actor)s reported %(target)s as abuse"),
        "voice.abuse.upheld": _("%(actor)s upheld the abuse report on %(target)s"),
        "voice.abuse.dismissed": _("%(actor)s dismissed the abuse report on %(target)s"),
    }
)
auditlog.link("voice.demand", "voice:demand")
