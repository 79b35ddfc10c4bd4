"""The shared kernel: schools (tenants), the academic calendar, the audit log, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class School(models.Model):
    """One school (tenant). Every other record belongs to exactly one school."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return self.name


class AcademicYear(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="academic_years")
    code = models.CharField(_("code"), max_length=9, help_text="2019-2020")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["school", "start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="academic_year_code_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="year_order"
            ),
        ]
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")

    def __str__(self) -> str:
        return self.code


class Semester(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="semesters")
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="semesters"
    )
    code = models.CharField(_("code"), max_length=11, help_text="2019-2020-2")
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["school", "start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="semester_code_unique"),
            models.CheckConstraint(condition=models.Q(number__in=[1, 2]), name="semester_number"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="semester_order"
            ),
        ]
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")

    def __str__(self) -> str:
        return self.code


class AuditChain(models.Model):
    """The head of one school's hash chain. Only the sealer writes it, and only under a try-lock
    (``SKIP LOCKED``): no request ever waits for it (see docs/audit.md)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="audit_chain")
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    # The last checkpoint the sealer wrote to the checkpoint file (decided under the lock).
    checkpoint_seq = models.PositiveBigIntegerField(default=0)
    checkpoint_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.school_id}@{self.last_seq}"


class AuditEvent(models.Model):
    """One append-only audit event.

    The event is inserted in the change's transaction with no place in the chain yet
    (``seq`` NULL). After commit the sealer gives it its place ``seq``, the previous event's
    ``prev_hash`` and its own ``hash``, an HMAC (key ``AUDIT_KEY``, never in the database) of
    every field and ``prev_hash``; that is the one write an event ever gets after its insert.
    The actor is kept as a plain id and label, so deleting the account changes no event.
    ``tuanxue audit verify`` walks the chain.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="audit_events")
    seq = models.PositiveBigIntegerField(null=True, blank=True)
    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(_("target"), max_length=200)
    old = models.JSONField(_("old values"), null=True, blank=True)
    new = models.JSONField(_("new values"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, default="", blank=True)
    hash = models.CharField(max_length=64, default="", blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "seq"], name="audit_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["school", "target_type", "target_id"]),
            models.Index(
                fields=["school", "id"],
                condition=models.Q(seq__isnull=True),
                name="audit_unsealed",
            ),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.school_id}#{self.seq or '-'} {self.action}"

    def save(self, *args, **kwargs):
        # The one guard kept in save(): the log is append-only (the sealer uses bulk_update).
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit events are append-only")

    @property
    def actor(self):
        """The account that acted, while it exists (None for the system or a deleted account)."""
        if self.actor_id is None:
            return None
        if not hasattr(self, "_actor_cache"):
            from django.contrib.auth import get_user_model

            self._actor_cache = get_user_model().objects.filter(pk=self.actor_id).first()
        return self._actor_cache

    @property
    def sealed(self) -> bool:
        return self.seq is not None


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the secret is shown once when created."""

    PREFIX = "txk_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """A failed login, kept for throttling. Old rows are pruned as new ones arrive."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """Something for one user to look at: an approval waiting, a status that changed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # None for what concerns no one school (the federation's province-wide jobs).
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text


class FailedAttempt(models.Model):
    """A wrong guess at a short code (a six-digit check-in code, a hall code), kept to limit
    guessing. Old rows are pruned as new ones arrive."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=80)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} {self.at:%Y-%m-%d %H:%M:%S}"
