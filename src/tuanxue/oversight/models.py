"""Party and League oversight of the union, kept as records: the Party committee hearing the
union's report, school leaders' lectures, work plans that name the union, the school leaders
assigned to it, and the filing (报备) of important matters with the League committee."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School
from tuanxue.org.models import Union


class HearingTopic(models.TextChoices):
    CONGRESS = "congress", _("congress preparation")
    CHARTER = "charter", _("charter revision")
    CANDIDATES = "candidates", _("presidium candidates")
    REFORM = "reform", _("the union's reform")
    WORK = "work", _("the union's work")


def minutes_upload_to(instance, filename: str) -> str:
    """Stored under a random name (the original name is kept in ``file_name``)."""
    import pathlib
    import uuid

    suffix = pathlib.Path(filename).suffix.lower()[:8]
    return f"oversight/{instance.school_id}/{uuid.uuid4().hex}{suffix}"


class ReportHearing(models.Model):
    """The Party committee heard the union's report (专题听取学生会工作汇报)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="report_hearings")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="report_hearings")
    held_on = models.DateField(_("held on"))
    meeting = models.CharField(_("meeting"), max_length=120)
    topics = models.JSONField(_("topics"), default=list)
    summary = models.TextField(_("what was decided"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to=minutes_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "-held_on", "-pk"]
        verbose_name = _("report heard by the Party committee")
        verbose_name_plural = _("reports heard by the Party committee")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.meeting}"

    @property
    def topic_labels(self) -> list[str]:
        return [str(HearingTopic(t).label) for t in self.topics if t in HearingTopic.values]


class Occasion(models.TextChoices):
    MAY_FOURTH = "may_fourth", _("May Fourth (五四)")
    TERM_START = "term_start", _("start of term (开学初)")
    YOUTH_MARXISM = "youth_marxism", _("Youth Marxism class (青马班)")
    OTHER = "other", _("other")


class LeaderLecture(models.Model):
    """A school leader's lecture to the union's members (专题报告)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="leader_lectures")
    given_on = models.DateField(_("given on"))
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    leader = models.CharField(_("leader"), max_length=80)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["school", "-given_on", "-pk"]
        verbose_name = _("leader's lecture")
        verbose_name_plural = _("leaders' lectures")

    def __str__(self) -> str:
        return f"{self.given_on:%Y-%m-%d} {self.title}"


class WorkPlan(models.Model):
    """A work plan of the school or its Party committee that names the union (工作要点)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="work_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    document = models.CharField(_("document"), max_length=200)
    excerpt = models.TextField(_("what it says about the union"))

    class Meta:
        ordering = ["school", "-year", "-pk"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self) -> str:
        return f"{self.year} {self.document}"


class AssignmentKind(models.TextChoices):
    IN_CHARGE = "in_charge", _("in charge of the union (分管)")
    TAKES_PART = "takes_part", _("takes part in its management (参与管理)")


class LeaderAssignment(models.Model):
    """A school leader assigned to the union, with the term of the assignment."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="leader_assignments")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="leader_assignments")
    kind = models.CharField(_("assignment"), max_length=12, choices=AssignmentKind.choices)
    leader = models.CharField(_("leader"), max_length=80)
    position = models.CharField(_("position"), max_length=120, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["school", "kind", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="leader_assignment_term_order",
            ),
        ]
        verbose_name = _("leader assignment")
        verbose_name_plural = _("leader assignments")

    def __str__(self) -> str:
        return f"{self.leader}（{self.get_kind_display()}）"


class FilingKind(models.TextChoices):
    MATTER = "matter", _("important matter")
    ACTIVITY = "activity", _("major activity")
    INFORMATION = "information", _("important information")
    EXTERNAL = "external", _("external contact")


class FilingStatus(models.TextChoices):
    FILED = "filed", _("waiting for the League committee")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class Filing(models.Model):
    """A union files (报备) an important matter, a major activity, important information or an
    external contact with the school League committee, which accepts it or returns it with a
    reason. A major activity or external contact kept in the activities module is filed there;
    this register holds the rest and lists both."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="filings")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="filings")
    kind = models.CharField(_("kind"), max_length=12, choices=FilingKind.choices)
    title = models.CharField(_("title"), max_length=160)
    content = models.TextField(_("content"))
    occurs_on = models.DateField(_("date of the matter"))
    counterpart = models.CharField(_("external party"), max_length=160, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.FILED
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"))

    class Meta:
        ordering = ["school", "-filed_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")

    def __str__(self) -> str:
        return self.title


class FilingDecisionKind(models.TextChoices):
    ACCEPT = "accept", _("accept")
    RETURN = "return", _("return with a reason")


class FilingReview(models.Model):
    """One decision of the League committee on a filing (a returned filing may be filed again
    and decided again)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=8, choices=FilingDecisionKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["filing", "at", "pk"]
        verbose_name = _("filing decision")
        verbose_name_plural = _("filing decisions")

    def __str__(self) -> str:
        return f"{self.filing} {self.decision}"
