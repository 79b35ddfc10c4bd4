"""The student congress: sessions, delegates, agenda, motions, polls and secret ballots.

Secrecy by construction: ``VoterMark`` (who has voted in a poll) and ``Ballot`` (what was voted)
share no column, no timestamp and no ordered id. A ballot's primary key and receipt code are
random; it carries no time. The unique constraint on ``VoterMark`` (poll, delegate), written in the
same transaction as the ballot, makes a second vote impossible even from two devices.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import School
from tuanxue.org.models import ClassGroup, College, Society, Student, Union


def new_card_code() -> str:
    return secrets.token_urlsafe(12)


def new_receipt() -> str:
    return secrets.token_hex(8).upper()


class SessionStatus(models.TextChoices):
    PREPARING = "preparing", _("in preparation")
    NOTICE = "notice", _("delegates on public notice")
    OPEN = "open", _("in session")
    CLOSED = "closed", _("closed")


class CongressSession(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="congress_sessions")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="congress_sessions")
    number = models.PositiveSmallIntegerField(_("number"), help_text="14 for 第十四次")
    name = models.CharField(_("name"), max_length=80)
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=120)
    roster_cutoff = models.DateField(_("roster cut-off"))
    notice_until = models.DateField(_("public notice until"), null=True, blank=True)
    quorum = models.DecimalField(
        _("quorum (share of entitled delegates present)"),
        max_digits=4,
        decimal_places=3,
        default="0.667",
    )
    cosigners_needed = models.PositiveSmallIntegerField(
        _("co-signers a delegate motion needs"), default=10
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SessionStatus.choices,
        default=SessionStatus.PREPARING,
    )
    minutes_narrative = models.TextField(_("minutes narrative"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["union", "number"], name="congress_number_unique"),
        ]
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A step of the preparation timeline."""

    session = models.ForeignKey(
        CongressSession, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=120)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["session", "due"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class DelegateStatus(models.TextChoices):
    NOMINATED = "nominated", _("nominated by the class")
    ELECTED = "elected", _("elected by the college")
    CONFIRMED = "confirmed", _("credentials confirmed")
    REJECTED = "rejected", _("credentials not confirmed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Delegate(models.Model):
    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="delegates")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="delegacies")
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(
        ClassGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    society = models.ForeignKey(
        Society,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("society represented"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DelegateStatus.choices,
        default=DelegateStatus.NOMINATED,
    )
    credential_note = models.TextField(_("credential review note"), blank=True)
    card_code = models.CharField(max_length=24, unique=True, default=new_card_code)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        ordering = ["session", "college", "student__student_no"]
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="delegate_once"),
        ]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")

    def __str__(self) -> str:
        return f"{self.student.name}（{self.session}）"


class Objection(models.Model):
    """An objection to a delegate filed during the public notice, and its answer."""

    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("objection"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["delegate", "filed_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.delegate} {self.filed_at:%Y-%m-%d}"


class MotionKind(models.TextChoices):
    WORK_REPORT = "work_report", _("work report")
    CHARTER = "charter", _("charter amendment")
    DELEGATE = "delegate", _("delegate motion")
    PRESIDIUM = "presidium", _("presidium motion")


class Majority(models.TextChoices):
    HALF = "half", _("more than half")
    TWO_THIRDS = "two_thirds", _("at least two thirds")


class MajorityBase(models.TextChoices):
    ENTITLED = "entitled", _("of the entitled delegates")
    PRESENT = "present", _("of the delegates present")
    CAST = "cast", _("of the votes cast")


class Motion(models.Model):
    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="motions")
    kind = models.CharField(_("kind"), max_length=12, choices=MotionKind.choices)
    title = models.CharField(_("title"), max_length=160)
    text = models.TextField(_("text"))
    proposer = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, null=True, blank=True, related_name="motions"
    )
    cosigners = models.ManyToManyField(Delegate, blank=True, related_name="cosigned")
    review = models.TextField(_("presidium's review recommendation"), blank=True)
    charter_rules = models.JSONField(
        _("charter rules as amended"),
        null=True,
        blank=True,
        help_text="for a charter amendment: the rules of the new version",
    )
    charter_label = models.CharField(_("new charter version"), max_length=60, blank=True)
    majority = models.CharField(
        _("majority"), max_length=10, choices=Majority.choices, default=Majority.HALF
    )
    base = models.CharField(
        _("counted on"),
        max_length=10,
        choices=MajorityBase.choices,
        default=MajorityBase.PRESENT,
    )

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self) -> str:
        return self.title


class PollKind(models.TextChoices):
    MOTION = "motion", _("vote on a motion")
    ELECTION = "election", _("presidium election")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("not open yet")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Poll(models.Model):
    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="polls")
    kind = models.CharField(_("kind"), max_length=10, choices=PollKind.choices)
    title = models.CharField(_("title"), max_length=160)
    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, null=True, blank=True, related_name="polls"
    )
    seats = models.PositiveSmallIntegerField(_("seats"), default=0)
    write_in = models.BooleanField(_("one write-in allowed"), default=False)
    runoff_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="runoffs"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PollStatus.choices, default=PollStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    issued = models.PositiveIntegerField(_("ballots issued"), default=0)
    paper_ballots = models.BooleanField(
        _("paper ballots handed out"),
        default=False,
        help_text="set when the poll closes: the result waits for the two counters' paper totals",
    )

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="motion", motion__isnull=False) | Q(kind="election", seats__gte=1),
                name="poll_has_subject",
            ),
        ]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """An election candidate; listed in surname stroke order (``order``)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="candidates")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["poll", "order"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "student"], name="candidate_once"),
        ]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.student.name


class VoterMark(models.Model):
    """That a delegate has voted in a poll — and nothing about how. Its id is random too, so no
    id order records the order of voting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voter_marks")
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "delegate"], name="vote_once"),
        ]
        verbose_name = _("voter mark")
        verbose_name_plural = _("voter marks")

    def __str__(self) -> str:
        return f"{self.poll_id}:{self.delegate_id}"


class BallotSource(models.TextChoices):
    PHONE = "phone", _("phone")
    PAPER = "paper", _("paper")


class Ballot(models.Model):
    """One ballot: a random id, a random receipt code, the choice. No time, no voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    receipt = models.CharField(max_length=16, unique=True, default=new_receipt)
    choice = models.JSONField(_("choice"))
    valid = models.BooleanField(_("valid"))
    source = models.CharField(max_length=6, choices=BallotSource.choices)

    class Meta:
        ordering = ["poll", "receipt"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return self.receipt


class PaperTally(models.Model):
    """A counter's entry of the paper ballots; two counters' entries must agree."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="paper_tallies")
    counter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.JSONField(_("counts"))
    at = models.DateTimeField(_("entered at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "counter"], name="one_tally_per_counter"),
        ]
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")

    def __str__(self) -> str:
        return f"{self.poll} {self.counter}"


class Signoff(models.Model):
    """A scrutineer's signature on a poll's result."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="signoffs")
    scrutineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "scrutineer"], name="sign_once"),
        ]
        verbose_name = _("scrutineer's signature")
        verbose_name_plural = _("scrutineers' signatures")

    def __str__(self) -> str:
        return f"{self.poll} {self.scrutineer}"
