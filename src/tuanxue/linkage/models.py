"""Cascading notices and tasks (校院、院班工作群), class roles (班团一体化) and joint meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School, Semester
from tuanxue.org.models import ClassGroup, College, Student


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("notice")
    TASK = "task", _("task")


class Sender(models.TextChoices):
    LEAGUE = "league", _("school League committee")
    UNION = "union", _("school union presidium")


class Notice(models.Model):
    """A notice or a task sent by the school to college unions, forwarded on to classes."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=8, choices=NoticeKind.choices)
    sender = models.CharField(_("sent by"), max_length=8, choices=Sender.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        ordering = ["school", "-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="notice") | Q(deadline__isnull=False),
                name="task_has_deadline",
            ),
        ]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title

    @property
    def is_task(self) -> bool:
        return self.kind == NoticeKind.TASK


def report_upload_to(instance, filename: str) -> str:
    return f"linkage/{instance.notice.school_id}/{instance.notice_id}/{filename}"


class Copy(models.Model):
    """What every level's copy has: who first read it, and (for a task) the completion report."""

    read_at = models.DateTimeField(_("first read at"), null=True, blank=True)
    done_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report = models.TextField(_("completion report"), blank=True)
    report_file = models.FileField(_("attachment"), upload_to=report_upload_to, blank=True)

    class Meta:
        abstract = True


class CollegeCopy(Copy):
    """The notice as a college received it; ``forwarded_at`` once it went on to its classes."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="college_copies")
    college = models.ForeignKey(College, on_delete=models.CASCADE, related_name="+")
    addition = models.TextField(_("the college's additions"), blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["notice", "college__order", "college__name"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "college"], name="one_copy_per_college"),
        ]
        verbose_name = _("college copy")
        verbose_name_plural = _("college copies")

    def __str__(self) -> str:
        return f"{self.notice} · {self.college}"


class ClassCopy(Copy):
    """The notice as a class League branch received it from its college."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="class_copies")
    college_copy = models.ForeignKey(
        CollegeCopy, on_delete=models.CASCADE, related_name="class_copies"
    )
    class_group = models.ForeignKey(ClassGroup, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["notice", "class_group__name"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "class_group"], name="one_copy_per_class"),
        ]
        verbose_name = _("class copy")
        verbose_name_plural = _("class copies")

    def __str__(self) -> str:
        return f"{self.notice} · {self.class_group}"


class Receipt(models.Model):
    """One person's reading of one level's copy (the first time only)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    college_copy = models.ForeignKey(
        CollegeCopy, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts"
    )
    class_copy = models.ForeignKey(
        ClassCopy, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        ordering = ["read_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(college_copy__isnull=True) ^ Q(class_copy__isnull=True),
                name="receipt_one_level",
            ),
            models.UniqueConstraint(
                fields=["college_copy", "user"],
                condition=Q(college_copy__isnull=False),
                name="one_receipt_per_college_reader",
            ),
            models.UniqueConstraint(
                fields=["class_copy", "user"],
                condition=Q(class_copy__isnull=False),
                name="one_receipt_per_class_reader",
            ),
        ]
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")

    def __str__(self) -> str:
        return f"{self.name} {self.read_at:%Y-%m-%d %H:%M}"


class ClassRoleKind(models.TextChoices):
    MONITOR = "monitor", _("class monitor")
    SECRETARY = "secretary", _("League branch secretary")
    DEPUTY = "deputy", _("League branch deputy secretary")
    ORGANISATION = "organisation", _("organisation committee member")
    PUBLICITY = "publicity", _("publicity committee member")
    INNOVATION = "innovation", _("innovation and entrepreneurship committee member")
    STUDY = "study", _("study committee member")
    LIFE = "life", _("life committee member")
    SPORTS = "sports", _("sports committee member")
    ARTS = "arts", _("arts committee member")
    PSYCHOLOGY = "psychology", _("mental health committee member")


class ClassRole(models.Model):
    """Who holds a class or League branch role in one class and term (one holder per role)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    class_group = models.ForeignKey(ClassGroup, on_delete=models.CASCADE, related_name="roles")
    semester = models.ForeignKey(Semester, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=ClassRoleKind.choices)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="class_roles")

    class Meta:
        ordering = ["class_group", "semester", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["class_group", "semester", "role"], name="one_holder_per_class_role"
            ),
        ]
        verbose_name = _("class role")
        verbose_name_plural = _("class roles")

    def __str__(self) -> str:
        return f"{self.class_group} {self.semester} {self.get_role_display()} {self.student.name}"


class JointMeeting(models.Model):
    """A joint meeting of the class committee and the League branch (班团联席会议)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    class_group = models.ForeignKey(
        ClassGroup, on_delete=models.CASCADE, related_name="joint_meetings"
    )
    held_on = models.DateField(_("date"))
    attendees = models.TextField(_("attendees"))
    decisions = models.TextField(_("matters decided"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["class_group", "-held_on", "-pk"]
        verbose_name = _("joint class–League meeting")
        verbose_name_plural = _("joint class–League meetings")

    def __str__(self) -> str:
        return f"{self.class_group} {self.held_on:%Y-%m-%d}"
