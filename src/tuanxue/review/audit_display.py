"""How duty reviews, discipline and study read in the audit log."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog

auditlog.group("review", _("Duty review, discipline and study"))
auditlog.kinds(
    {
        "review.session.created": _("%(actor)s planned the duty review %(target)s"),
        "review.session.opened": _("%(actor)s opened the duty review %(target)s"),
        "review.session.closed": _("%(actor)s closed the duty review %(target)s"),
        "review.session.published": _("%(actor)s published the results of %(target)s"),
        "review.panel.set": _("%(actor)s set the review panel of %(target)s"),
        "review.reviewee.added": _("%(actor)s added a reviewee to %(target)s"),
        "review.reviewee.removed": _("%(actor)s took a reviewee off %(target)s"),
        "review.report.submitted": _("%(actor)s submitted the duty report %(target)s"),
        "review.sheet.submitted": _("%(actor)s handed in a score sheet for %(target)s"),
        "review.removal.proposed": _("%(actor)s proposed the removal %(target)s"),
        "review.removal.decided": _("%(actor)s decided the removal proposal %(target)s"),
        "review.discipline.recorded": _("%(actor)s recorded the discipline measure %(target)s"),
        "review.discipline.appealed": _("%(actor)s appealed against %(target)s"),
        "review.discipline.appeal_decided": _("%(actor)s decided the appeal against %(target)s"),
        "review.meeting.recorded": _("%(actor)s recorded the meeting %(target)s"),
        "review.study.created": _("%(actor)s set up the study session %(target)s"),
        "review.study.attended": _("%(actor)s recorded attendance at %(target)s"),
        "review.demo.sheets": _("%(actor)s filled in the demo score sheets of %(target)s"),
    }
)
auditlog.link("review.reviewsession", "review:session")
