"""How notices, class roles and joint meetings read in the audit log."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("linkage", _("School, college and class linkage"))
auditlog.kinds(
    {
        "linkage.notice.sent": _("%(actor)s sent %(target)s to the colleges"),
        "linkage.notice.forwarded": _("%(actor)s forwarded %(target)s to the classes"),
        "linkage.notice.read": _("%(actor)s read %(target)s"),
        "linkage.task.done": _("%(actor)s reported %(target)s done"),
        "linkage.notice.reminded": _("%(actor)s reminded those who still owe %(target)s"),
        "linkage.class_role.set": _("%(actor)s changed the class roles of %(target)s"),
        "linkage.joint_meeting.recorded": _(
            "%(actor)s recorded the joint class–League meeting %(target)s"
        ),
    }
)
auditlog.link("linkage.notice", "linkage:notice")
auditlog.link("org.classgroup", "linkage:class")
