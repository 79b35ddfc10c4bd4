"""Recruitment rounds, applications, approval chains and their actions, exits and handover notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School
from tuanxue.org.models import Department, Membership, Role, Student, Title, Union


class ChainKind(models.TextChoices):
    PRESIDIUM = "presidium", _("presidium candidates")
    DEPARTMENT = "department", _("department members")


class StepScope(models.TextChoices):
    COLLEGE = "college", _("the applicant's college")
    SCHOOL = "school", _("the school")
    FEDERATION = "federation", _("the provincial federation")


class ApprovalChain(models.Model):
    """How one kind of application is approved in a school: an ordered list of steps."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="approval_chains")
    kind = models.CharField(_("kind"), max_length=12, choices=ChainKind.choices)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["school", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="one_chain_per_kind"),
        ]
        verbose_name = _("approval chain")
        verbose_name_plural = _("approval chains")

    def __str__(self) -> str:
        return self.name


class ChainStep(models.Model):
    """One step. A joint step lists several roles; each must approve."""

    chain = models.ForeignKey(ApprovalChain, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=80)
    roles = models.JSONField(_("roles"), help_text="role codes; several = a joint step")
    scope = models.CharField(_("scope"), max_length=12, choices=StepScope.choices)

    class Meta:
        ordering = ["chain", "order"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "order"], name="step_order_unique"),
        ]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def is_joint(self) -> bool:
        return len(self.roles) > 1

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles]


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")
    FINISHED = "finished", _("finished")


class RecruitmentRound(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rounds")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=120)
    term_start = models.DateField(_("term starts"))
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_window_order"
            ),
        ]
        verbose_name = _("recruitment round")
        verbose_name_plural = _("recruitment rounds")

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """Places offered by a round: a title in a body, and how many."""

    round = models.ForeignKey(RecruitmentRound, on_delete=models.CASCADE, related_name="seats")
    body = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=20, choices=Title.choices)
    count = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        ordering = ["round", "body__order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["round", "body", "title"], name="seat_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="seat_count_positive"),
        ]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")

    def __str__(self) -> str:
        return f"{self.body.name} {self.get_title_display()}"

    @property
    def chain_kind(self) -> str:
        return ChainKind.PRESIDIUM if self.body.is_presidium else ChainKind.DEPARTMENT


class ApplicationStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("in review")
    RETURNED = "returned", _("returned for changes")
    REJECTED = "rejected", _("not approved")
    HELD = "held", _("approved, waiting for a place")
    CANDIDATE = "candidate", _("candidate for the congress election")
    APPOINTED = "appointed", _("appointed")
    NOT_ELECTED = "not_elected", _("not elected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CANCELLED = "cancelled", _("round cancelled")


OPEN_APPLICATION = [ApplicationStatus.IN_REVIEW, ApplicationStatus.RETURNED, ApplicationStatus.HELD]


class Application(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="applications")
    round = models.ForeignKey(
        RecruitmentRound, on_delete=models.CASCADE, related_name="applications"
    )
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="applications")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="applications")
    second_seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="second_choices"
    )
    statement = models.TextField(_("statement"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.IN_REVIEW,
    )
    step = models.PositiveSmallIntegerField(_("current step"), default=1)
    cycle = models.PositiveSmallIntegerField(default=1, help_text="+1 each time it is resubmitted")
    step_since = models.DateTimeField(_("waiting since"))
    eligible = models.BooleanField(_("eligible"), null=True)
    eligibility = models.JSONField(_("eligibility at application"), default=dict)
    held_reason = models.TextField(_("why it waits"), blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="one_application_per_round"),
        ]
        indexes = [models.Index(fields=["school", "status", "step"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.student.name} → {self.seat}"


class Decision(models.TextChoices):
    APPROVE = "approve", _("approve")
    RETURN = "return", _("return for changes")
    REJECT = "reject", _("reject")


class StepAction(models.Model):
    """One office's decision on one step. The unique constraint makes a double click, or two
    people of the same office at once, record one action."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="actions")
    cycle = models.PositiveSmallIntegerField()
    step = models.PositiveSmallIntegerField()
    role = models.CharField(_("office"), max_length=24, choices=Role.choices)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["application", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "cycle", "step", "role"], name="one_action_per_office"
            ),
        ]
        verbose_name = _("step action")
        verbose_name_plural = _("step actions")

    def __str__(self) -> str:
        return f"{self.application_id} {self.step} {self.role} {self.decision}"


class ExitRequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the presidium")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ResignationRequest(models.Model):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="resignation_requests"
    )
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExitRequestStatus.choices,
        default=ExitRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(status="pending"),
                name="one_pending_resignation",
            ),
        ]
        verbose_name = _("resignation request")
        verbose_name_plural = _("resignation requests")

    def __str__(self) -> str:
        return f"{self.membership} {self.status}"


class HandoverNote(models.Model):
    """Notes for a seat (a title in a body), written by its holder; they stay with the seat."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="handover_notes")
    body = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="handover_notes")
    title = models.CharField(_("title"), max_length=20, choices=Title.choices)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="handover_notes")
    ongoing_work = models.TextField(_("ongoing work"))
    contacts = models.TextField(_("contacts"), blank=True)
    files = models.TextField(_("files and where they are"), blank=True)
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["body", "title", "-written_at"]
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")

    def __str__(self) -> str:
        return f"{self.body} {self.get_title_display()} {self.written_at:%Y-%m-%d}"
