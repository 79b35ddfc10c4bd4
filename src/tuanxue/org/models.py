"""The organisation: colleges, majors, classes, societies, people, unions, memberships, roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School, Semester


class College(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="colleges")
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["school", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="college_unique")]
        verbose_name = _("college")
        verbose_name_plural = _("colleges")

    def __str__(self) -> str:
        return self.name


class Major(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="majors")
    college = models.ForeignKey(College, on_delete=models.CASCADE, related_name="majors")
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["college", "name"]
        constraints = [
            models.UniqueConstraint(fields=["college", "name"], name="major_unique"),
        ]
        verbose_name = _("major")
        verbose_name_plural = _("majors")

    def __str__(self) -> str:
        return self.name


class ClassGroup(models.Model):
    """A class (班级). Each has one League branch (团支部)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="class_groups")
    college = models.ForeignKey(College, on_delete=models.CASCADE, related_name="class_groups")
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="class_groups")
    name = models.CharField(_("name"), max_length=80)
    grade = models.PositiveSmallIntegerField(_("grade"))

    class Meta:
        ordering = ["college", "-grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="class_group_unique"),
        ]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party", _("CPC member")
    PARTY_PROBATIONARY = "party_probationary", _("CPC probationary member")
    LEAGUE_MEMBER = "league", _("CYL member")
    MASSES = "masses", _("ordinary citizen")


class Student(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="students")
    student_no = models.CharField(_("student number"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="students")
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="students")
    class_group = models.ForeignKey(ClassGroup, on_delete=models.PROTECT, related_name="students")
    grade = models.PositiveSmallIntegerField(_("grade"))
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices
    )
    campus = models.CharField(_("campus"), max_length=40, blank=True)
    postgraduate = models.BooleanField(_("postgraduate"), default=False)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
    )

    class Meta:
        ordering = ["school", "student_no"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student_no"], name="student_no_unique"),
        ]
        indexes = [models.Index(fields=["school", "name"])]
        verbose_name = _("student")
        verbose_name_plural = _("students")

    def __str__(self) -> str:
        return f"{self.name}（{self.student_no}）"


class LeagueBranch(models.Model):
    """A class's League branch (团支部)."""

    class_group = models.OneToOneField(
        ClassGroup, on_delete=models.CASCADE, related_name="league_branch"
    )
    secretary = models.ForeignKey(
        Student, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deputy_secretary = models.ForeignKey(
        Student, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("League branch")
        verbose_name_plural = _("League branches")

    def __str__(self) -> str:
        return f"{self.class_group.name}团支部"


class Society(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="societies")
    name = models.CharField(_("name"), max_length=80)
    is_major = models.BooleanField(_("major society"), default=False)
    college = models.ForeignKey(
        College, on_delete=models.SET_NULL, null=True, blank=True, related_name="societies"
    )

    class Meta:
        ordering = ["school", "-is_major", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="society_unique")]
        verbose_name = _("society")
        verbose_name_plural = _("societies")

    def __str__(self) -> str:
        return self.name


class StaffPerson(models.Model):
    """A teacher or an officer of a school department."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    staff_no = models.CharField(_("staff number"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=80, help_text="校团委, 党委学生工作部, 教务处…")
    position = models.CharField(_("position"), max_length=80, blank=True)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    college = models.ForeignKey(
        College, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_person",
    )

    class Meta:
        ordering = ["school", "unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "staff_no"], name="staff_no_unique"),
        ]
        verbose_name = _("staff person")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Union(models.Model):
    """A student union: one per school (college is empty) and one per college."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="unions")
    college = models.OneToOneField(
        College, on_delete=models.CASCADE, null=True, blank=True, related_name="union"
    )
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["school", "college__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(college__isnull=True),
                name="one_school_union_per_school",
            ),
        ]
        verbose_name = _("student union")
        verbose_name_plural = _("student unions")

    def __str__(self) -> str:
        return self.name

    @property
    def is_school_level(self) -> bool:
        return self.college_id is None


class BodyKind(models.TextChoices):
    PRESIDIUM = "presidium", _("presidium")
    DEPARTMENT = "department", _("department")


class Department(models.Model):
    """A body of a union: its presidium, or one of its work departments."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField(_("kind"), max_length=12, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=40)
    remit = models.TextField(_("remit"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["union", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["union", "name"], name="department_unique"),
            models.UniqueConstraint(
                fields=["union"],
                condition=Q(kind="presidium"),
                name="one_presidium_per_union",
            ),
        ]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return f"{self.union.name}{self.name}"

    @property
    def is_presidium(self) -> bool:
        return self.kind == BodyKind.PRESIDIUM


class Title(models.TextChoices):
    EXECUTIVE_CHAIR = "executive_chair", _("executive chair")
    PRESIDIUM_MEMBER = "presidium_member", _("presidium member")
    CHAIR = "chair", _("chair")
    VICE_CHAIR = "vice_chair", _("vice-chair")
    MINISTER = "minister", _("minister")
    VICE_MINISTER = "vice_minister", _("vice-minister")
    STAFF = "staff", _("staff member")


PRESIDIUM_TITLES = {Title.EXECUTIVE_CHAIR, Title.PRESIDIUM_MEMBER, Title.CHAIR, Title.VICE_CHAIR}
HEAD_TITLES = {Title.MINISTER, Title.VICE_MINISTER}


class EndReason(models.TextChoices):
    TERM_END = "term_end", _("term ended")
    RESIGNATION = "resignation", _("resigned")
    REMOVAL = "removal", _("removed")
    TRANSFER = "transfer", _("moved to another post")


class Membership(models.Model):
    """A post held by a student in a union body, with its term. History is never deleted."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="memberships")
    body = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="memberships")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="memberships")
    title = models.CharField(_("title"), max_length=20, choices=Title.choices)
    start = models.DateField(_("term start"))
    end = models.DateField(_("term end"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=40, blank=True, help_text="import, …")

    class Meta:
        ordering = ["union", "body__order", "title", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_term_order",
            ),
            models.UniqueConstraint(
                fields=["student", "union"],
                condition=Q(end__isnull=True),
                name="one_open_post_per_union",
            ),
        ]
        indexes = [models.Index(fields=["union", "end"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.student.name} {self.body} {self.get_title_display()}"


class RotationSlot(models.Model):
    """Which presidium member is the executive chair of a union in a semester (轮值)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rotation_slots")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="rotation_slots")
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="chair_slots")

    class Meta:
        ordering = ["union", "semester__start"]
        constraints = [
            models.UniqueConstraint(fields=["union", "semester"], name="one_chair_per_semester"),
        ]
        verbose_name = _("executive chair rotation")
        verbose_name_plural = _("executive chair rotation")

    def __str__(self) -> str:
        return f"{self.union} {self.semester} {self.membership.student.name}"


class Role(models.TextChoices):
    STUDENT = "student", _("student")
    LEAGUE_BRANCH = "league_branch", _("class League branch")
    UNION_MEMBER = "union_member", _("union member")
    DEPARTMENT_HEAD = "department_head", _("department head")
    PRESIDIUM_MEMBER = "presidium_member", _("presidium member")
    EXECUTIVE_CHAIR = "executive_chair", _("executive chair")
    COLLEGE_LEAGUE = "college_league", _("college League committee")
    COLLEGE_PARTY = "college_party", _("college Party branch")
    STUDENT_AFFAIRS = "student_affairs", _("Student Affairs")
    SCHOOL_LEAGUE = "school_league", _("school League committee")
    SCHOOL_PARTY = "school_party", _("school Party committee")
    FEDERATION = "federation", _("provincial student federation")
    SCHOOL_DEPARTMENT = "school_department", _("school department")
    DELEGATE = "delegate", _("delegate")


class RoleGrant(models.Model):
    """A role given to a user in a scope: the whole school, a college, a class, a union or a body.

    Roles that follow from a post (union member, department head, presidium member) come from
    memberships; a grant holds the roles that are given by appointment of staff.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    college = models.ForeignKey(
        College, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants"
    )
    class_group = models.ForeignKey(
        ClassGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants"
    )
    union = models.ForeignKey(
        Union, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants"
    )
    body = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False) | Q(role="federation"),
                name="grant_has_school",
            ),
            # One open grant per user, role and scope: two identical grants at once leave one.
            models.UniqueConstraint(
                models.F("user"),
                models.F("role"),
                Coalesce("school", 0),
                Coalesce("college", 0),
                Coalesce("class_group", 0),
                Coalesce("union", 0),
                Coalesce("body", 0),
                condition=Q(revoked_at__isnull=True),
                name="one_open_grant_per_scope",
            ),
        ]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self) -> str:
        scope = self.body or self.union or self.class_group or self.college or self.school or "*"
        return f"{self.user} {self.get_role_display()} @ {scope}"


class AcademicRecord(models.Model):
    """One student's standing in one semester, as imported from the academic office."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="academic_records")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="academic_records")
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="records")
    study_rank = models.PositiveIntegerField(_("study rank"))
    assessment_rank = models.PositiveIntegerField(_("comprehensive assessment rank"))
    major_size = models.PositiveIntegerField(_("students in major"))
    failed_courses = models.PositiveSmallIntegerField(_("failed courses"))

    class Meta:
        ordering = ["semester", "student"]
        constraints = [
            models.UniqueConstraint(fields=["student", "semester"], name="record_unique"),
            models.CheckConstraint(
                condition=Q(study_rank__gte=1)
                & Q(study_rank__lte=models.F("major_size"))
                & Q(assessment_rank__gte=1)
                & Q(assessment_rank__lte=models.F("major_size")),
                name="record_ranks_in_range",
            ),
        ]
        verbose_name = _("academic record")
        verbose_name_plural = _("academic records")

    def __str__(self) -> str:
        return f"{self.student} {self.semester}"


class ImportKind(models.TextChoices):
    STUDENTS = "students", _("students")
    RECORDS = "records", _("academic records")
    MEMBERSHIPS = "memberships", _("union memberships")
    STAFF = "staff", _("staff")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("being checked")
    PREVIEWED = "previewed", _("checked, waiting for confirmation")
    IMPORTING = "importing", _("being imported")
    REFUSED = "refused", _("refused")
    DONE = "done", _("imported")
    CANCELLED = "cancelled", _("cancelled")


class ImportJob(models.Model):
    """An uploaded spreadsheet: checked first, imported only when the uploader confirms."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The background job checking or importing a large file (None when done on the request).
    background = models.ForeignKey(
        "org.BackgroundJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"


class PasswordReason(models.TextChoices):
    INITIAL = "initial", _("initial password")
    RESET = "reset", _("reset by the League committee")


class AccountState(models.Model):
    """An account whose password was set by someone else (an initial or a reset password): its
    owner must choose a new one before using any page. The row is cleared when they do."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state"
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    reason = models.CharField(_("reason"), max_length=12, choices=PasswordReason.choices)
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("account state")
        verbose_name_plural = _("account states")

    def __str__(self) -> str:
        return f"{self.user} {self.reason}"


from tuanxue.org.jobs.models import BackgroundJob, JobStatus  # noqa: E402, F401
