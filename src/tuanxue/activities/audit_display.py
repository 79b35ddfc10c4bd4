"""How activity, volunteer and check-in events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("activities", _("Activities and proposals"))
auditlog.group("volunteer", _("Volunteer projects"))
auditlog.group("attendance", _("Check-in"))
auditlog.kinds(
    {
        "activities.activity.created": _("%(actor)s created the activity %(target)s"),
        "activities.activity.updated": _("%(actor)s edited the activity %(target)s"),
        "activities.activity.sent_back": _(
            "%(actor)s changed the time, place or capacity of %(target)s, "
            "which sent it back for approval"
        ),
        "activities.activity.filed": _(
            "%(actor)s filed the activity %(target)s with the League committee"
        ),
        "activities.activity.published": _("%(actor)s published the activity %(target)s"),
        "activities.activity.cancelled": _("%(actor)s cancelled the activity %(target)s"),
        "activities.filing.approved": _("%(actor)s approved the filing of %(target)s"),
        "activities.filing.returned": _("%(actor)s returned the filing of %(target)s"),
        "activities.proposal.created": _("%(actor)s proposed %(target)s"),
        "activities.proposal.supported": _("%(actor)s supported the proposal %(target)s"),
        "activities.proposal.listed": _(
            "The proposal %(target)s reached the support threshold (%(actor)s)"
        ),
        "activities.proposal.adopted": _("%(actor)s adopted the proposal %(target)s"),
        "activities.proposal.declined": _("%(actor)s declined the proposal %(target)s"),
        "activities.rating.added": _("%(actor)s rated %(target)s"),
        "activities.demo.volunteers": _("%(actor)s built the demo volunteer projects"),
        "volunteer.project.created": _("%(actor)s opened the volunteer project %(target)s"),
        "volunteer.project.closed": _("%(actor)s closed the volunteer project %(target)s"),
        "volunteer.signup.created": _("%(actor)s signed up: %(target)s"),
        "volunteer.signup.withdrawn": _("%(actor)s withdrew the sign-up %(target)s"),
        "volunteer.signup.promoted": _("%(target)s moved up from the waiting list (%(actor)s)"),
        "volunteer.signup.reviewed": _("%(actor)s reviewed the sign-up %(target)s"),
        "volunteer.lottery.drawn": _("%(actor)s drew the lottery for %(target)s"),
        "attendance.checked_in": _("%(actor)s checked in %(target)s"),
        "attendance.checked_out": _("%(actor)s checked out %(target)s"),
        "attendance.hours_settled": _("%(actor)s settled the hours of %(target)s"),
    }
)
auditlog.link("activities.activity", "activities:detail")
auditlog.link("activities.proposal", "activities:proposal")
auditlog.link("activities.volunteerproject", "volunteer:project")
