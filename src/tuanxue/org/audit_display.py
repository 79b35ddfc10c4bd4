"""How the registry's audit events read, and where their targets' pages are."""

from django.utils.translation import gettext_lazy as _

from tuanxue.core import auditlog
from tuanxue.org.models import StaffPerson, Student

auditlog.group("org", _("Organisation and registry"))
auditlog.kinds(
    {
        "org.school.created": _("%(actor)s added the school %(target)s"),
        "org.year.created": _("%(actor)s added the academic year %(target)s"),
        "org.semester.created": _("%(actor)s added the semester %(target)s"),
        "org.semester.changed": _("%(actor)s changed the semester %(target)s"),
        "org.semester.deleted": _("%(actor)s deleted the semester %(target)s"),
        "org.year.changed": _("%(actor)s changed the academic year %(target)s"),
        "org.year.deleted": _("%(actor)s deleted the academic year %(target)s"),
        "org.college.created": _("%(actor)s added the college %(target)s"),
        "org.class.created": _("%(actor)s added the class %(target)s"),
        "org.department.created": _("%(actor)s set up the department %(target)s"),
        "org.department.remit_changed": _("%(actor)s changed the remit of %(target)s"),
        "org.membership.created": _("%(actor)s appointed %(target)s"),
        "org.membership.ended": _("%(actor)s ended the post %(target)s"),
        "org.role.granted": _("%(actor)s granted the role %(target)s"),
        "org.role.revoked": _("%(actor)s revoked the role %(target)s"),
        "org.rotation.generated": _("%(actor)s drew up the rotation of %(target)s"),
        "org.rotation.set": _("%(actor)s changed the rotation of %(target)s"),
        "org.import.students": _("%(actor)s imported the student roster %(target)s"),
        "org.import.records": _("%(actor)s imported the academic records %(target)s"),
        "org.import.memberships": _("%(actor)s imported the union posts %(target)s"),
        "org.import.cancelled": _("%(actor)s cancelled the import %(target)s"),
        "org.demo.built": _("%(actor)s built the demo school %(target)s"),
        "org.demo.history": _("%(actor)s carried the demo school %(target)s on to today"),
        "org.demo.cohort": _("%(actor)s enrolled a demo cohort in %(target)s"),
        "org.demo.records": _("%(actor)s added demo academic records in %(target)s"),
        "org.demo.logins": _("%(actor)s moved the demo logins to today's posts in %(target)s"),
        "org.demo.term_ended": _("%(actor)s ended the demo union term of %(target)s"),
        "org.demo.college_term": _("%(actor)s appointed the demo college union term of %(target)s"),
        "org.import.staff": _("%(actor)s imported the staff list %(target)s"),
        "org.staff.created": _("%(actor)s added the staff member %(target)s"),
        "org.staff.updated": _("%(actor)s edited the staff member %(target)s"),
        "org.accounts.created": _("%(actor)s created logins in %(target)s"),
        "org.account.linked": _("%(actor)s linked the account %(target)s to its record"),
        "org.account.password_reset": _("%(actor)s reset the password of %(target)s"),
        "org.account.password_changed": _("%(actor)s changed the password of %(target)s"),
        "org.account.password_email_reset": _(
            "%(actor)s set a new password for %(target)s through the e-mailed link"
        ),
    }
)
auditlog.link("org.college", "org:college")
auditlog.link("org.union", "org:union")
auditlog.link("org.student", "org:student")
auditlog.link("org.importjob", "org:import_detail")


def _names(user_ids: set[int]) -> dict[int, str]:
    names = dict(Student.objects.filter(user_id__in=user_ids).values_list("user_id", "name"))
    rest = user_ids - names.keys()
    if rest:
        names.update(StaffPerson.objects.filter(user_id__in=rest).values_list("user_id", "name"))
    return names


auditlog.actor_names(_names)
