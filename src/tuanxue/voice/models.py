"""Student voice (学生接待日, 青年之声): the school's answering departments, categories with
deadlines, the school calendar, reception days, demands and what happens to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School
from tuanxue.org.models import StaffPerson, Student


class DepartmentKind(models.TextChoices):
    ANSWERING = "answering", _("answering department")
    STUDENT_AFFAIRS = "student_affairs", _("Student Affairs (first escalation)")
    LEADER = "leader", _("school leader in charge (second escalation)")


class AnsweringDepartment(models.Model):
    """A school department (职能部门) that answers demands: 教务处, 后勤处, 保卫处 …"""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="voice_departments")
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.ANSWERING
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["school", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="voice_department_unique"),
        ]
        verbose_name = _("answering department")
        verbose_name_plural = _("answering departments")

    def __str__(self) -> str:
        return self.name


class DepartmentStaff(models.Model):
    """A staff account that answers for a department."""

    department = models.ForeignKey(
        AnsweringDepartment, on_delete=models.CASCADE, related_name="staff_links"
    )
    staff = models.ForeignKey(StaffPerson, on_delete=models.CASCADE, related_name="voice_links")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "staff"], name="voice_staff_unique"),
        ]
        verbose_name = _("department staff")
        verbose_name_plural = _("department staff")

    def __str__(self) -> str:
        return f"{self.department} {self.staff.name}"


class VoiceOfficer(models.Model):
    """A League committee member designated to see confidential identities (on a reveal)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="voice_officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "user"], name="voice_officer_unique"),
        ]
        verbose_name = _("voice officer")
        verbose_name_plural = _("voice officers")

    def __str__(self) -> str:
        return str(self.user)


class BuiltInCategory(models.TextChoices):
    ACADEMIC = "academic", _("Academic development")
    HEALTH = "health", _("Physical and mental health")
    SOCIAL = "social", _("Social integration")
    RIGHTS = "rights", _("Rights and interests")


class Category(models.Model):
    """学业发展, 身心健康, 社会融入, 权益维护 and the school's own, each with a deadline."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="voice_categories")
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=30)
    deadline_days = models.PositiveSmallIntegerField(_("deadline in working days"), default=5)
    default_department = models.ForeignKey(
        AnsweringDepartment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default department"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["school", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="voice_category_unique"),
            models.CheckConstraint(
                condition=Q(deadline_days__gte=1) & Q(deadline_days__lte=60),
                name="voice_category_deadline_range",
            ),
        ]
        verbose_name = _("demand category")
        verbose_name_plural = _("demand categories")

    def __str__(self) -> str:
        return self.name


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday (no work)")
    WORKDAY = "workday", _("make-up working day (调休)")


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a holiday, or a weekend day worked instead (调休)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="voice_calendar")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True)

    class Meta:
        ordering = ["school", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="voice_calendar_day_unique"),
        ]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class VoicePolicy(models.Model):
    """A school's limits: demands per student per day, the reopen window, reminders."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="voice_policy")
    daily_limit = models.PositiveSmallIntegerField(_("demands per student per day"), default=3)
    reopen_days = models.PositiveSmallIntegerField(_("days to reopen after an answer"), default=7)
    remind_days = models.PositiveSmallIntegerField(
        _("working days before the deadline to remind"), default=1
    )
    leader_after_days = models.PositiveSmallIntegerField(
        _("working days after the first escalation to the school leader"), default=2
    )

    class Meta:
        verbose_name = _("voice policy")
        verbose_name_plural = _("voice policies")

    def __str__(self) -> str:
        return str(self.school)


class ReceptionDay(models.Model):
    """A 学生接待日: a session where students bring their demands to a desk."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="reception_days")
    date = models.DateField(_("date"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=80)
    campus = models.CharField(_("campus"), max_length=40, blank=True)
    theme = models.CharField(_("theme"), max_length=80, blank=True)
    members = models.ManyToManyField(
        Student, blank=True, related_name="+", verbose_name=_("union members on duty")
    )
    teachers = models.ManyToManyField(
        StaffPerson, blank=True, related_name="+", verbose_name=_("teachers on duty")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "-date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="reception_order"
            ),
        ]
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")

    def __str__(self) -> str:
        return f"{self.date} {self.place}"


class Channel(models.TextChoices):
    ONLINE = "online", _("online (Voice of Youth)")
    DESK = "desk", _("reception-day desk")


class DemandStatus(models.TextChoices):
    OPEN = "open", _("waiting for an answer")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    MERGED = "merged", _("merged into another demand")
    REMOVED = "removed", _("removed after an abuse report")


class Closure(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    EXPLAINED = "explained", _("explained")
    NOT_FEASIBLE = "not_feasible", _("not feasible")


class Demand(models.Model):
    """A student's demand (诉求), online or recorded at a reception-day desk."""

    TITLE_MAX = 60
    TEXT_MAX = 1500

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="demands")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="demands")
    department = models.ForeignKey(
        AnsweringDepartment, on_delete=models.PROTECT, related_name="demands"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    reception_day = models.ForeignKey(
        ReceptionDay, on_delete=models.PROTECT, null=True, blank=True, related_name="demands"
    )
    # Empty for an anonymous demand recorded at the desk.
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, null=True, blank=True, related_name="demands"
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DemandStatus.choices, default=DemandStatus.OPEN
    )
    created_at = models.DateTimeField(_("submitted at"))
    due_date = models.DateField(_("answer due"))
    reminded_for = models.DateField(null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    on_time = models.BooleanField(_("first answer on time"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        AnsweringDepartment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure = models.CharField(_("outcome"), max_length=14, choices=Closure.choices, blank=True)
    closure_reason = models.TextField(_("reason"), blank=True)
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    supporters = models.PositiveIntegerField(_("supporters"), default=1)

    class Meta:
        ordering = ["school", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="demand_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(channel="desk") | Q(student__isnull=False),
                name="demand_online_has_student",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="demand_merged_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status", "due_date"]),
            models.Index(fields=["department", "status", "due_date"]),
        ]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def reference(self) -> str:
        return f"V{self.pk:05d}"


class Supporter(models.Model):
    """A student who brought the same issue (a merged duplicate): told of the answer too."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="supporter_rows")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "student"], name="voice_supporter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.student_id}"


class StepKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    RECORDED = "recorded", _("recorded at the desk")
    FORWARDED = "forwarded", _("forwarded")
    MERGED = "merged", _("duplicate merged in")
    ESCALATED = "escalated", _("escalated")
    ANSWERED = "answered", _("answered")
    RATED = "rated", _("rated")
    REOPENED = "reopened", _("reopened")
    CLOSED = "closed", _("closed")
    REMOVED = "removed", _("removed")


class DemandStep(models.Model):
    """The demand's visible history. It names departments, never people."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    department = models.ForeignKey(
        AnsweringDepartment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["demand", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.kind}"


class DemandPhoto(models.Model):
    """A photo, re-encoded on upload so that no EXIF (location) metadata survives."""

    MAX_BYTES = 5 * 1024 * 1024
    MAX_COUNT = 3

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="voice/%Y/%m/")
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.image.name


class IdentityReveal(models.Model):
    """A voice officer looked at a confidential demand's student, with a reason."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.user_id}"


class AbuseStatus(models.TextChoices):
    OPEN = "open", _("waiting for the League committee")
    UPHELD = "upheld", _("upheld: demand removed")
    DISMISSED = "dismissed", _("dismissed")


class AbuseReport(models.Model):
    """A department or union member reports a demand as abusive; the League committee decides."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="abuse_reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=AbuseStatus.choices, default=AbuseStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand"], condition=Q(status="open"), name="one_open_abuse_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.status}"
