"""Activities, their filing with the League committee, volunteer projects with rush-proof
sign-up, attendance with check-in and check-out, and the students' proposals and ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School
from tuanxue.org.models import ClassGroup, College, Department, Society, Student


class EducationArea(models.TextChoices):
    MORAL = "moral", _("ideals and morals")
    INNOVATION = "innovation", _("innovation and entrepreneurship")
    CULTURE_SPORTS = "culture_sports", _("culture and sports")
    AESTHETICS = "aesthetics", _("aesthetic education")
    LABOUR = "labour", _("labour education")
    VOLUNTEER = "volunteer", _("volunteer service")


class Brand(models.TextChoices):
    SCHOOL = "school_brand", _("one school, many brands")
    COLLEGE = "college_brand", _("one college, one brand")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FILED = "filed", _("filed, waiting for approval")
    RETURNED = "returned", _("returned for changes")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")


class Activity(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    area = models.CharField(_("education area"), max_length=16, choices=EducationArea.choices)
    brands = models.JSONField(_("brand"), default=list, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=120)
    organiser_body = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    organiser_society = models.ForeignKey(
        Society, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    audience_colleges = models.ManyToManyField(
        College, blank=True, related_name="+", verbose_name=_("colleges (empty: whole school)")
    )
    audience_grades = models.JSONField(_("grades (empty: all)"), default=list, blank=True)
    credit = models.DecimalField(_("credit"), max_digits=6, decimal_places=2, default=0)
    credit_unit = models.CharField(_("credit unit"), max_length=8, default="hours")
    external_contact = models.TextField(_("external contact or sponsor"), blank=True)
    is_major = models.BooleanField(_("major activity"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_time_order"
            ),
            models.CheckConstraint(
                condition=Q(organiser_body__isnull=False) | Q(organiser_society__isnull=False),
                name="activity_has_organiser",
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "starts_at"])]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    @property
    def needs_filing(self) -> bool:
        return self.is_major or bool(self.external_contact.strip())


class FilingDecision(models.Model):
    """The League committee's decision on a filed activity (报备审核)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("approve")
        RETURN = "return", _("return for changes")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="filings")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["activity", "at"]
        verbose_name = _("filing decision")
        verbose_name_plural = _("filing decisions")

    def __str__(self) -> str:
        return f"{self.activity} {self.decision}"


class SignupMode(models.TextChoices):
    FIRST_COME = "first_come", _("first come, first served")
    LOTTERY = "lottery", _("lottery after the window")
    REVIEW = "review", _("reviewed by the organiser")


class ProjectStatus(models.TextChoices):
    RECRUITING = "recruiting", _("recruiting")
    CLOSED = "closed", _("closed")


class VolunteerProject(models.Model):
    """Project-based recruitment of volunteers for an event (项目化招募)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="volunteer_projects")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    mode = models.CharField(
        _("sign-up mode"), max_length=12, choices=SignupMode.choices, default=SignupMode.FIRST_COME
    )
    opens_at = models.DateTimeField(_("sign-up opens"))
    closes_at = models.DateTimeField(_("sign-up closes"))
    withdraw_until = models.DateTimeField(_("withdrawals until"))
    from_classes = models.ManyToManyField(ClassGroup, blank=True, related_name="+")
    from_societies = models.ManyToManyField(Society, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.RECRUITING
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="project_window_order"
            ),
        ]
        verbose_name = _("volunteer project")
        verbose_name_plural = _("volunteer projects")

    def __str__(self) -> str:
        return self.title


class VolunteerRole(models.Model):
    """A role in a project: its slots, its shift and who may take it. ``taken`` counts the
    confirmed places and only ever changes by a conditional UPDATE (taken < slots)."""

    project = models.ForeignKey(VolunteerProject, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("name"), max_length=80)
    slots = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(_("places taken"), default=0)
    shift_starts_at = models.DateTimeField(_("shift starts"))
    shift_ends_at = models.DateTimeField(_("shift ends"))
    colleges = models.ManyToManyField(College, blank=True, related_name="+")
    grades = models.JSONField(_("grades (empty: any)"), default=list, blank=True)
    classes = models.ManyToManyField(ClassGroup, blank=True, related_name="+")
    societies = models.ManyToManyField(Society, blank=True, related_name="+")

    class Meta:
        ordering = ["project", "shift_starts_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=models.F("slots")), name="never_oversold"
            ),
            models.CheckConstraint(
                condition=Q(shift_ends_at__gt=models.F("shift_starts_at")), name="shift_order"
            ),
        ]
        verbose_name = _("volunteer role")
        verbose_name_plural = _("volunteer roles")

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    PENDING = "pending", _("waiting for the organiser or the lottery")
    REJECTED = "rejected", _("not selected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    RELEASED = "released", _("released when the project closed")


ACTIVE_SIGNUP = [SignupStatus.CONFIRMED, SignupStatus.WAITING, SignupStatus.PENDING]


class Signup(models.Model):
    """A student's place (or wish for a place) in a project. One per student and project."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(VolunteerProject, on_delete=models.CASCADE, related_name="signups")
    role = models.ForeignKey(VolunteerRole, on_delete=models.CASCADE, related_name="signups")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("status"), max_length=10, choices=SignupStatus.choices)
    queue_no = models.PositiveBigIntegerField(
        _("waiting-list number"), null=True, blank=True, help_text="order on the waiting list"
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        ordering = ["project", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "student"], name="one_place_per_project"),
        ]
        indexes = [models.Index(fields=["role", "status", "queue_no"])]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self) -> str:
        return f"{self.student} {self.role} {self.status}"


class CheckMethod(models.TextChoices):
    QR = "qr", _("scanned the organiser's code")
    STAFF = "staff", _("scanned by the organiser")
    CODE = "code", _("entered a check-in code")
    HAND = "hand", _("entered by hand")


class Attendance(models.Model):
    """Presence at an activity (any participant) or a volunteer shift (``signup`` set)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    signup = models.OneToOneField(
        Signup, on_delete=models.CASCADE, null=True, blank=True, related_name="attendance"
    )
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="attendance")
    checked_in_at = models.DateTimeField(_("checked in"))
    check_in_method = models.CharField(max_length=6, choices=CheckMethod.choices)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    check_out_method = models.CharField(max_length=6, choices=CheckMethod.choices, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    hand_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hand_entered_reason = models.TextField(_("why entered by hand"), blank=True)

    class Meta:
        ordering = ["activity", "checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "student"], name="one_attendance_each"),
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.student} @ {self.activity}"


class ProposalStatus(models.TextChoices):
    COLLECTING = "collecting", _("collecting support")
    ON_LIST = "on_list", _("on the department's list")
    ADOPTED = "adopted", _("adopted")
    DECLINED = "declined", _("declined")
    LAPSED = "lapsed", _("did not reach the threshold")


class Proposal(models.Model):
    """A student's activity proposal (众创众筹众评)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=120)
    goal = models.TextField(_("goal"))
    audience = models.CharField(_("audience"), max_length=200)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=9, decimal_places=2, default=0)
    organisers = models.TextField(_("organisers"))
    body = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="proposals")
    support_until = models.DateTimeField(_("support until"))
    threshold = models.PositiveIntegerField(_("supports needed"))
    supports = models.PositiveIntegerField(_("supports"), default=0)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.COLLECTING,
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title


class ProposalSupport(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="support_rows")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "student"], name="support_once"),
        ]
        verbose_name = _("support")
        verbose_name_plural = _("supports")

    def __str__(self) -> str:
        return f"{self.student} → {self.proposal}"


class Rating(models.Model):
    """A participant's rating of an activity they checked in to."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ratings")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "student"], name="rate_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="score_1_to_5"
            ),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.activity} {self.score}"
