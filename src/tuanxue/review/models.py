"""Semester duty reviews (述职评议), discipline records (从严治会) and theory study.

A review session belongs to one union and one semester. Its panel members score each reviewee on
five dimensions; one sheet per member per reviewee (a database constraint). Results are computed
when the session closes and shown to reviewees once it is published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School, Semester
from tuanxue.org.models import Membership, StaffPerson, Student, Union

DIMENSIONS = ("political", "moral", "study", "work", "discipline")


def dimension_labels() -> dict[str, str]:
    return {
        "political": _("political attitude"),
        "moral": _("moral conduct"),
        "study": _("study"),
        "work": _("work results"),
        "discipline": _("discipline and style"),
    }


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open for scoring")
    CLOSED = "closed", _("closed")
    PUBLISHED = "published", _("published")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    PASS = "pass", _("pass")
    FAIL = "fail", _("fail")


class ReviewSession(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="review_sessions")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="review_sessions")
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["union", "semester"], name="one_review_per_semester"),
        ]
        verbose_name = _("review session")
        verbose_name_plural = _("review sessions")

    def __str__(self) -> str:
        return f"{self.union.name} {self.semester.code} 述职评议会"


class PanelKind(models.TextChoices):
    STUDENT = "student", _("student representative")
    STUDENT_AFFAIRS = "student_affairs", _("Student Affairs")
    LEAGUE = "league", _("League committee")


class PanelMember(models.Model):
    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="panel")
    kind = models.CharField(_("kind"), max_length=16, choices=PanelKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        StaffPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["session", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="panel_member_once"),
        ]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class Reviewee(models.Model):
    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="reviewees")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("post"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    change_reason = models.TextField(_("reason for the change"), blank=True)
    report = models.TextField(_("duty report"), blank=True)
    report_at = models.DateTimeField(_("report submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["session", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="reviewee_once"),
        ]
        verbose_name = _("reviewee")
        verbose_name_plural = _("reviewees")

    def __str__(self) -> str:
        return f"{self.student.name} {self.post}"


class ScoreSheet(models.Model):
    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="sheets")
    reviewee = models.ForeignKey(Reviewee, on_delete=models.PROTECT, related_name="sheets")
    political = models.PositiveSmallIntegerField(_("political attitude"))
    moral = models.PositiveSmallIntegerField(_("moral conduct"))
    study = models.PositiveSmallIntegerField(_("study"))
    work = models.PositiveSmallIntegerField(_("work results"))
    discipline = models.PositiveSmallIntegerField(_("discipline and style"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["reviewee", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "reviewee"], name="one_sheet_per_member"),
        ]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self) -> str:
        return f"{self.member_id}→{self.reviewee_id}"

    def scores(self) -> dict[str, int]:
        return {d: getattr(self, d) for d in DIMENSIONS}


class ReviewResult(models.Model):
    reviewee = models.OneToOneField(Reviewee, on_delete=models.CASCADE, related_name="result")
    sheets = models.PositiveSmallIntegerField(_("sheets"))
    trimmed = models.BooleanField(_("highest and lowest dropped"))
    dimensions = models.JSONField(_("by dimension"))
    overall = models.DecimalField(_("overall"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)

    class Meta:
        verbose_name = _("review result")
        verbose_name_plural = _("review results")

    def __str__(self) -> str:
        return f"{self.reviewee} {self.overall} {self.grade}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    REMOVED = "removed", _("removed from the post")
    KEPT = "kept", _("kept in the post")


class RemovalProposal(models.Model):
    """A proposal to remove someone from a post, opened by a failed review or a sanction and
    decided by the League committee through the exits flow."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(
        ReviewResult, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discipline = models.ForeignKey(
        "DisciplineRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    basis = models.TextField(_("basis"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    opened_at = models.DateTimeField(_("opened at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(status="pending"),
                name="one_pending_removal_proposal",
            ),
        ]
        verbose_name = _("removal proposal")
        verbose_name_plural = _("removal proposals")

    def __str__(self) -> str:
        return f"{self.membership} {self.status}"


class DisciplineKind(models.TextChoices):
    TALK = "talk", _("talk (约谈)")
    CRITICISM = "criticism", _("criticism (批评)")
    NOTICE = "notice", _("circulated notice (通报)")
    SANCTION = "sanction", _("sanction (处分)")


class AppealStatus(models.TextChoices):
    NONE = "", _("no appeal")
    PENDING = "pending", _("appeal pending")
    UPHELD = "upheld", _("decision upheld")
    OVERTURNED = "overturned", _("decision overturned")


class DisciplineRecord(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=DisciplineKind.choices)
    basis = models.CharField(_("basis (regulation and article)"), max_length=200)
    facts = models.TextField(_("facts"))
    decided_by = models.CharField(_("decided by"), max_length=80)
    decided_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    appeal = models.TextField(_("appeal"), blank=True)
    appeal_status = models.CharField(
        _("appeal"), max_length=10, choices=AppealStatus.choices, blank=True, default=""
    )
    appeal_outcome = models.TextField(_("outcome of the appeal"), blank=True)

    class Meta:
        ordering = ["school", "-decided_on"]
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")

    def __str__(self) -> str:
        return f"{self.student.name} {self.get_kind_display()} {self.decided_on}"


class StudyKind(models.TextChoices):
    ORIGINAL = "original", _("reading the original texts (学原文)")
    REFLECTION = "reflection", _("sharing reflections (谈体会)")
    DISCUSSION = "discussion", _("open discussion (大讨论)")
    COURSE = "course", _("online course (学网课)")
    VIDEO = "video", _("watching a video (看视频)")
    LEAGUE_DAY = "league_day", _("themed League day (主题团日)")


class StudySession(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="study_sessions")
    kind = models.CharField(_("form"), max_length=12, choices=StudyKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    materials = models.TextField(_("materials"), blank=True)
    held_on = models.DateField(_("date"))
    convention = models.BooleanField(
        _("yearly study of the self-discipline convention"), default=False
    )
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["union", "-held_on"]
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class StudyAttendance(models.Model):
    """Roll call at a study session (when the session has no QR check-in activity)."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="roll")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="study_attended_once"),
        ]
        verbose_name = _("study attendance")
        verbose_name_plural = _("study attendance")

    def __str__(self) -> str:
        return f"{self.session_id} {self.student_id}"


class UnionMeeting(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date"))
    agenda = models.JSONField(_("agenda"), default=list)
    first_item_study = models.BooleanField(_("study is the first item"))
    minutes = models.TextField(_("minutes"))
    study = models.ForeignKey(
        StudySession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["union", "-held_on"]
        verbose_name = _("union meeting")
        verbose_name_plural = _("union meetings")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"
