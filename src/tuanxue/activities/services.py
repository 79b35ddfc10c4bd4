"""Activities: create, edit, submit for filing (报备), the League committee's decision, cancel.

Every function checks the state and the actor's right (a ``DomainError`` a user can read), changes
rows in one transaction with a conditional UPDATE where two people could race, writes the audit
event in that transaction, and notifies. ``actor=None`` is the operator (the demo, commands).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities import selectors
from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    Brand,
    EducationArea,
    FilingDecision,
)
from tuanxue.charter.rules import CharterRules
from tuanxue.charter.services import charter_in_force
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.core.notify import notify
from tuanxue.ledger.models import CreditUnit
from tuanxue.org.access import build_viewer
from tuanxue.org.models import College, Department, Role, RoleGrant, Society, Student

DEFAULT_MAJOR_CAPACITY = CharterRules().major_activity_capacity
# Edits to these fields of a published activity that needs filing send it back for approval.
REFILING_FIELDS = ("starts_at", "ends_at", "place", "capacity")
EDITABLE_FIELDS = (
    "title",
    "description",
    "area",
    "brands",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "audience_colleges",
    "audience_grades",
    "credit",
    "credit_unit",
    "external_contact",
)
SCALAR_FIELDS = tuple(f for f in EDITABLE_FIELDS if f != "audience_colleges")


def forbidden(message: str | None = None) -> DomainError:
    return DomainError(message or _("You may not do this."), code="forbidden")


def activity_url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.school.code, activity.pk])


def league_users(school: School) -> list:
    grants = RoleGrant.objects.filter(
        school=school, role=Role.SCHOOL_LEAGUE, revoked_at__isnull=True
    ).select_related("user")
    return [g.user for g in grants]


def major_capacity(school: School, day: dt.date) -> int:
    """The charter in force on ``day`` says from how many people an activity is major."""
    charter = charter_in_force(school, day)
    if charter is None:
        return DEFAULT_MAJOR_CAPACITY
    return charter.parsed.major_activity_capacity


def _is_major(school: School, starts_at: dt.datetime, capacity: int | None) -> bool:
    if capacity is None:
        return False
    return capacity >= major_capacity(school, timezone.localdate(starts_at))


def acting_student(actor, school: School, student: Student | None) -> Student:
    """The acting student: the actor's own record, or (operator only) the one given."""
    if actor is None:
        if student is None:
            raise forbidden(_("Only a student of this school can do this."))
        return student
    own = Student.objects.filter(user=actor, school=school).first()
    if own is None:
        raise forbidden(_("Only a student of this school can do this."))
    return own


# -- validation ------------------------------------------------------------------------------


def _clean(school: School, data: dict) -> dict:
    """Check and normalise activity fields; raise on the first bad one, naming it."""
    out = dict(data)
    if "title" in out:
        out["title"] = (out["title"] or "").strip()
        if not out["title"]:
            raise DomainError(_("Give the activity a title."), field="title")
    if "description" in out:
        out["description"] = (out["description"] or "").strip()
        if not out["description"]:
            raise DomainError(_("Describe the activity."), field="description")
    if "place" in out:
        out["place"] = (out["place"] or "").strip()
        if not out["place"]:
            raise DomainError(_("Say where the activity takes place."), field="place")
    if "area" in out and out["area"] not in EducationArea.values:
        raise DomainError(_("Choose one of the six education areas."), field="area")
    if "brands" in out:
        brands = list(dict.fromkeys(out["brands"] or []))
        if any(b not in Brand.values for b in brands):
            raise DomainError(_("Unknown brand."), field="brands")
        out["brands"] = brands
    if "capacity" in out and out["capacity"] is not None:
        if int(out["capacity"]) < 1:
            raise DomainError(_("The capacity must be at least 1."), field="capacity")
        out["capacity"] = int(out["capacity"])
    if "audience_grades" in out:
        try:
            grades = sorted({int(g) for g in out["audience_grades"] or []})
        except (TypeError, ValueError) as exc:
            raise DomainError(_("Grades are years such as 2024."), field="audience_grades") from exc
        if any(g < 1950 or g > 2200 for g in grades):
            raise DomainError(_("Grades are years such as 2024."), field="audience_grades")
        out["audience_grades"] = grades
    if "audience_colleges" in out:
        colleges = list(out["audience_colleges"] or [])
        if any(not isinstance(c, College) or c.school_id != school.pk for c in colleges):
            raise DomainError(_("Choose colleges of this school."), field="audience_colleges")
        out["audience_colleges"] = colleges
    if "credit" in out:
        try:
            credit = Decimal(str(out["credit"] if out["credit"] is not None else 0))
        except InvalidOperation as exc:
            raise DomainError(_("The credit must be a number."), field="credit") from exc
        if credit < 0 or credit > Decimal("9999"):
            raise DomainError(_("The credit must be between 0 and 9999."), field="credit")
        out["credit"] = credit
    if "credit_unit" in out and out["credit_unit"] not in CreditUnit.values:
        raise DomainError(_("The credit is counted in hours or points."), field="credit_unit")
    if "external_contact" in out:
        out["external_contact"] = (out["external_contact"] or "").strip()
    return out


def _check_times(starts_at, ends_at) -> None:
    if starts_at is None or ends_at is None:
        raise DomainError(_("Give the start and the end."), field="starts_at")
    if ends_at <= starts_at:
        raise DomainError(_("The activity must end after it starts."), field="ends_at")


# -- activities ------------------------------------------------------------------------------


def activity_create(
    *,
    actor,
    school: School,
    organiser_body: Department | None = None,
    organiser_society: Society | None = None,
    title: str,
    description: str,
    area: str,
    brands: list[str],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    capacity: int | None,
    audience_colleges: list[College],
    audience_grades: list[int],
    credit,
    credit_unit: str,
    external_contact: str,
) -> Activity:
    """A union body or a society drafts an activity (status draft)."""
    if (organiser_body is None) == (organiser_society is None):
        raise DomainError(_("Choose one organiser."), field="organiser")
    if organiser_body is not None and organiser_body.union.school_id != school.pk:
        raise DomainError(_("Choose an organiser of this school."), field="organiser")
    if organiser_society is not None and organiser_society.school_id != school.pk:
        raise DomainError(_("Choose an organiser of this school."), field="organiser")
    if actor is not None:
        viewer = build_viewer(actor)
        allowed = (
            selectors.may_run_body(viewer, organiser_body)
            if organiser_body is not None
            else selectors.may_run_society(viewer, organiser_society)
        )
        if not allowed:
            raise forbidden(_("You may not organise activities for this organiser."))
    data = _clean(
        school,
        {
            "title": title,
            "description": description,
            "area": area,
            "brands": brands,
            "place": place,
            "capacity": capacity,
            "audience_colleges": audience_colleges,
            "audience_grades": audience_grades,
            "credit": credit,
            "credit_unit": credit_unit,
            "external_contact": external_contact,
        },
    )
    _check_times(starts_at, ends_at)
    colleges = data.pop("audience_colleges")
    with transaction.atomic():
        activity = Activity.objects.create(
            school=school,
            organiser_body=organiser_body,
            organiser_society=organiser_society,
            starts_at=starts_at,
            ends_at=ends_at,
            is_major=_is_major(school, starts_at, data["capacity"]),
            status=ActivityStatus.DRAFT,
            created_by=actor,
            **data,
        )
        activity.audience_colleges.set(colleges)
        audit_record(
            school=school,
            actor=actor,
            action="activities.activity.created",
            target=activity,
            new={
                "organiser": str(organiser_body or organiser_society),
                **{f: getattr(activity, f) for f in SCALAR_FIELDS},
                "audience_colleges": [c.name for c in colleges],
                "is_major": activity.is_major,
                "status": activity.status,
            },
        )
    return activity


def _require_organiser(actor, activity: Activity) -> None:
    if actor is None:
        return
    if not selectors.may_change_activity(build_viewer(actor), activity):
        raise forbidden(_("Only the organiser may change this activity."))


def activity_update(*, actor, activity: Activity, **changes) -> Activity:
    """Edit an activity. An edit of the time, place or capacity of a published activity that
    needs filing sends it back to the League committee for approval."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"activity_update() cannot change {', '.join(unknown)}")
    _require_organiser(actor, activity)
    school = activity.school
    changes = _clean(school, changes)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status == ActivityStatus.CANCELLED:
            raise DomainError(_("A cancelled activity cannot be edited."), code="state")
        old: dict = {}
        new: dict = {}
        for name in SCALAR_FIELDS:
            if name in changes and getattr(locked, name) != changes[name]:
                old[name] = getattr(locked, name)
                new[name] = changes[name]
        colleges = changes.get("audience_colleges")
        if colleges is not None:
            before = sorted(locked.audience_colleges.values_list("name", flat=True))
            after = sorted(c.name for c in colleges)
            if before != after:
                old["audience_colleges"], new["audience_colleges"] = before, after
        if not new:
            return locked
        needed_before = locked.needs_filing
        for name in SCALAR_FIELDS:
            if name in new:
                setattr(locked, name, new[name])
        _check_times(locked.starts_at, locked.ends_at)
        is_major = _is_major(school, locked.starts_at, locked.capacity)
        if is_major != locked.is_major:
            old["is_major"], new["is_major"] = locked.is_major, is_major
            locked.is_major = is_major
        sent_back = (
            locked.status == ActivityStatus.PUBLISHED
            and locked.needs_filing
            and (any(f in new for f in REFILING_FIELDS) or not needed_before)
        )
        if sent_back:
            old["status"], new["status"] = locked.status, ActivityStatus.FILED
            locked.status = ActivityStatus.FILED
        locked.save()
        if colleges is not None and "audience_colleges" in new:
            locked.audience_colleges.set(colleges)
        audit_record(
            school=school,
            actor=actor,
            action=(
                "activities.activity.sent_back" if sent_back else "activities.activity.updated"
            ),
            target=locked,
            old=old,
            new=new,
        )
        if sent_back:
            notify(
                users=league_users(school),
                school=school,
                text=_("%(title)s changed its time, place or capacity and needs approval again.")
                % {"title": locked.title},
                url=reverse("activities:decide", args=[school.code, locked.pk]),
            )
    return locked


def activity_submit(*, actor, activity: Activity) -> Activity:
    """Send a draft (or a returned activity) on: filed with the League committee when it is
    major or has an external contact, published at once otherwise."""
    _require_organiser(actor, activity)
    school = activity.school
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status not in (ActivityStatus.DRAFT, ActivityStatus.RETURNED):
            raise DomainError(
                _("Only a draft or a returned activity can be submitted."), code="state"
            )
        is_major = _is_major(school, locked.starts_at, locked.capacity)
        locked.is_major = is_major
        new_status = ActivityStatus.FILED if locked.needs_filing else ActivityStatus.PUBLISHED
        old_status = locked.status
        locked.status = new_status
        locked.save(update_fields=["status", "is_major", "updated_at"])
        audit_record(
            school=school,
            actor=actor,
            action=(
                "activities.activity.filed"
                if new_status == ActivityStatus.FILED
                else "activities.activity.published"
            ),
            target=locked,
            old={"status": old_status},
            new={
                "status": new_status,
                "is_major": is_major,
                "external_contact": bool(locked.external_contact),
            },
        )
        if new_status == ActivityStatus.FILED:
            notify(
                users=league_users(school),
                school=school,
                text=_("%(title)s was filed and waits for your approval.")
                % {"title": locked.title},
                url=reverse("activities:decide", args=[school.code, locked.pk]),
            )
    return locked


def activity_decide(*, actor, activity: Activity, decision: str, comment: str) -> FilingDecision:
    """The school League committee approves a filed activity (published) or returns it."""
    school = activity.school
    if actor is not None and not build_viewer(actor).is_league_committee(school):
        raise forbidden(_("Only the school League committee decides on filed activities."))
    if decision not in FilingDecision.Decision.values:
        raise DomainError(_("Choose approve or return."), field="decision")
    comment = (comment or "").strip()
    if decision == FilingDecision.Decision.RETURN and not comment:
        raise DomainError(_("Say what has to change when you return an activity."), field="comment")
    new_status = (
        ActivityStatus.PUBLISHED
        if decision == FilingDecision.Decision.APPROVE
        else ActivityStatus.RETURNED
    )
    now = timezone.now()
    with transaction.atomic():
        changed = Activity.objects.filter(pk=activity.pk, status=ActivityStatus.FILED).update(
            status=new_status, updated_at=now
        )
        if changed != 1:
            raise DomainError(
                _("This activity is not waiting for approval (someone may have decided already)."),
                code="state",
            )
        filing = FilingDecision.objects.create(
            activity=activity, decision=decision, comment=comment, actor=actor, at=now
        )
        audit_record(
            school=school,
            actor=actor,
            action=(
                "activities.filing.approved"
                if decision == FilingDecision.Decision.APPROVE
                else "activities.filing.returned"
            ),
            target=activity,
            old={"status": ActivityStatus.FILED},
            new={"status": new_status, "comment": comment},
        )
        text = (
            _("%(title)s was approved by the League committee and is published.")
            if decision == FilingDecision.Decision.APPROVE
            else _("%(title)s was returned by the League committee: %(comment)s")
        ) % {"title": activity.title, "comment": comment}
        notify(users=[activity.created_by], school=school, text=text, url=activity_url(activity))
    activity.status = new_status
    return filing


def activity_cancel(*, actor, activity: Activity, reason: str) -> Activity:
    """The organiser (or the League committee) cancels an activity, giving the reason."""
    school = activity.school
    if actor is not None:
        viewer = build_viewer(actor)
        if not (
            selectors.may_change_activity(viewer, activity) or viewer.is_league_committee(school)
        ):
            raise forbidden(_("Only the organiser may cancel this activity."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for cancelling."), field="reason")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status == ActivityStatus.CANCELLED:
            raise DomainError(_("This activity is already cancelled."), code="state")
        old_status = locked.status
        locked.status = ActivityStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            school=school,
            actor=actor,
            action="activities.activity.cancelled",
            target=locked,
            old={"status": old_status},
            new={"status": locked.status, "reason": reason},
        )
        if actor is not None and locked.created_by_id and locked.created_by_id != actor.pk:
            notify(
                users=[locked.created_by],
                school=school,
                text=_("%(title)s was cancelled: %(reason)s")
                % {"title": locked.title, "reason": reason},
                url=activity_url(locked),
            )
    return locked
