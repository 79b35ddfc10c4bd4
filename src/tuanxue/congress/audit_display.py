"""How the student congress's events read."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("congress", _("Student congress"))
auditlog.kinds(
    {
        "congress.session.created": _("%(actor)s set up the congress %(target)s"),
        "congress.session.notice": _("%(actor)s published the delegate list of %(target)s"),
        "congress.session.opened": _("%(actor)s opened %(target)s"),
        "congress.session.closed": _("%(actor)s closed %(target)s"),
        "congress.milestone.done": _("%(actor)s marked the preparation step %(target)s done"),
        "congress.delegate.nominated": _("%(actor)s nominated the delegate %(target)s"),
        "congress.delegate.elected": _("%(actor)s recorded the election of delegate %(target)s"),
        "congress.delegate.confirmed": _("%(actor)s confirmed the credentials of %(target)s"),
        "congress.delegate.rejected": _("%(actor)s rejected the credentials of %(target)s"),
        "congress.delegate.withdrawn": _("%(actor)s withdrew the delegate %(target)s"),
        "congress.delegate.checked_in": _("%(actor)s checked in the delegate %(target)s"),
        "congress.objection.filed": _("%(actor)s objected to %(target)s"),
        "congress.objection.answered": _("%(actor)s answered the objection %(target)s"),
        "congress.motion.created": _("%(actor)s tabled the motion %(target)s"),
        "congress.motion.cosigned": _("%(actor)s co-signed the motion %(target)s"),
        "congress.motion.reviewed": _("%(actor)s reviewed the motion %(target)s"),
        "congress.poll.created": _("%(actor)s set up the vote %(target)s"),
        "congress.poll.opened": _("%(actor)s opened the vote %(target)s"),
        "congress.poll.closed": _("%(actor)s closed the vote %(target)s"),
        "congress.paper_tally.entered": _("%(actor)s entered a paper count for %(target)s"),
        "congress.poll.paper_counted": _("The two paper counts of %(target)s agree (%(actor)s)"),
        "congress.poll.signed": _("%(actor)s signed the result of %(target)s as scrutineer"),
        "congress.presidium.installed": _(
            "%(actor)s installed the presidium elected in %(target)s"
        ),
        "congress.amendment.adopted": _(
            "%(actor)s applied the adopted charter amendment %(target)s"
        ),
        "congress.minutes.edited": _("%(actor)s edited the minutes of %(target)s"),
        "congress.record.synced": _("%(actor)s recorded %(target)s for the self-assessment"),
        "congress.demo.built": _("%(actor)s built the demo congress %(target)s"),
    }
)
auditlog.link("congress.congresssession", "congress:session")
auditlog.link("congress.motion", "polls:motion")
auditlog.link("congress.poll", "polls:result")
