"""Writing the oversight records: reports heard by the Party committee, leaders' lectures, work
plans naming the union and the leaders assigned to it. Only the school League committee (or the
operator, ``actor=None``) records them; each change writes one audit event with the old and new
values in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.records.files import check_upload, remove_after_commit
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Union
from tuanxue.oversight.models import (
    AssignmentKind,
    HearingTopic,
    LeaderAssignment,
    LeaderLecture,
    Occasion,
    ReportHearing,
    WorkPlan,
)


def forbidden(message: str | None = None) -> DomainError:
    return DomainError(message or _("You may not do this."), code="forbidden")


def require_league(actor, school: School) -> None:
    if actor is None:
        return
    if not build_viewer(actor).is_league_committee(school):
        raise forbidden(_("Only the school League committee records oversight."))


def _text(value: str, field: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Fill in %(field)s.") % {"field": label}, field=field)
    if len(value) > limit:
        raise DomainError(
            _("%(field)s is longer than %(n)s characters.") % {"field": label, "n": limit},
            field=field,
        )
    return value


def _past(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(
            _("%(day)s is in the future; record only what has happened.")
            % {"day": day.isoformat()},
            field=field,
        )


def _school_union(union: Union, school: School) -> None:
    if union.school_id != school.pk:
        raise DomainError(_("The union belongs to another school."), field="union")


def _plain(values: dict) -> dict:
    """Values as the audit log keeps them: a union by its name, a file by its name."""
    out = {}
    for k, v in values.items():
        if isinstance(v, models.Model):
            v = str(v)
        elif k == "minutes":
            v = getattr(v, "name", "") or ""
        out[k] = v
    return out


def _save(*, actor, school, record, values: dict, action: str, created: bool):
    """Set ``values`` on ``record`` (locked when it exists), save it and write the event."""
    with transaction.atomic():
        old = None
        if not created:
            record = type(record).objects.select_for_update(of=("self",)).get(pk=record.pk)
            old = _plain({k: getattr(record, k) for k in values})
        for k, v in values.items():
            setattr(record, k, v)
        record.save()
        audit_record(
            school=school,
            actor=actor,
            action=action,
            target=record,
            old=old,
            new=_plain(values),
        )
    return record


def _delete(*, actor, record, action: str) -> None:
    require_league(actor, record.school)
    with transaction.atomic():
        locked = type(record).objects.select_for_update(of=("self",)).filter(pk=record.pk).first()
        if locked is None:
            raise DomainError(_("This record has already been deleted."), code="state")
        stored = getattr(locked, "minutes", None)
        audit_record(
            school=locked.school,
            actor=actor,
            action=action,
            target=locked,
            old={"label": str(locked)},
            label=str(locked),
        )
        locked.delete()
        if stored:
            remove_after_commit(stored.name)


# -- reports heard by the Party committee ----------------------------------------------------


def _hearing_values(*, school, union, held_on, meeting, topics, summary) -> dict:
    _school_union(union, school)
    _past(held_on, "held_on")
    topics = list(dict.fromkeys(topics or []))
    unknown = [t for t in topics if t not in HearingTopic.values]
    if unknown:
        raise DomainError(_("Unknown topic: %(t)s") % {"t": "、".join(unknown)}, field="topics")
    if not topics:
        raise DomainError(_("Choose at least one topic the report was about."), field="topics")
    return {
        "union": union,
        "held_on": held_on,
        "meeting": _text(meeting, "meeting", _("the meeting"), 120),
        "topics": topics,
        "summary": _text(summary, "summary", _("what was decided"), 4000, required=False),
    }


def _attach(record: ReportHearing, upload, values: dict) -> str:
    """Check an uploaded minutes file and put it on the values; the stored name it replaces."""
    if upload is None:
        return ""
    try:
        check_upload(upload)
    except DomainError as exc:
        raise DomainError(exc.message, field="minutes") from exc
    previous = record.minutes.name if record.pk and record.minutes else ""
    values["minutes"] = upload
    values["file_name"] = upload.name.rsplit("/", 1)[-1][:200]
    return previous


def hearing_add(
    *, actor, school: School, union: Union, held_on, meeting, topics, summary="", upload=None
) -> ReportHearing:
    require_league(actor, school)
    values = _hearing_values(
        school=school, union=union, held_on=held_on, meeting=meeting, topics=topics, summary=summary
    )
    record = ReportHearing(school=school, recorded_by=actor)
    _attach(record, upload, values)
    return _save(
        actor=actor,
        school=school,
        record=record,
        values=values,
        action="oversight.hearing.recorded",
        created=True,
    )


def hearing_update(
    *, actor, hearing: ReportHearing, union, held_on, meeting, topics, summary="", upload=None
) -> ReportHearing:
    school = hearing.school
    require_league(actor, school)
    values = _hearing_values(
        school=school, union=union, held_on=held_on, meeting=meeting, topics=topics, summary=summary
    )
    previous = _attach(hearing, upload, values)
    record = _save(
        actor=actor,
        school=school,
        record=hearing,
        values=values,
        action="oversight.hearing.changed",
        created=False,
    )
    if previous:
        remove_after_commit(previous)
    return record


def hearing_delete(*, actor, hearing: ReportHearing) -> None:
    _delete(actor=actor, record=hearing, action="oversight.hearing.deleted")


# -- leaders' lectures -----------------------------------------------------------------------


def _lecture_values(*, given_on, occasion, leader, title) -> dict:
    _past(given_on, "given_on")
    if occasion not in Occasion.values:
        raise DomainError(_("Choose the occasion."), field="occasion")
    return {
        "given_on": given_on,
        "occasion": occasion,
        "leader": _text(leader, "leader", _("the leader"), 80),
        "title": _text(title, "title", _("the title"), 200),
    }


def lecture_add(*, actor, school: School, given_on, occasion, leader, title) -> LeaderLecture:
    require_league(actor, school)
    values = _lecture_values(given_on=given_on, occasion=occasion, leader=leader, title=title)
    return _save(
        actor=actor,
        school=school,
        record=LeaderLecture(school=school),
        values=values,
        action="oversight.lecture.recorded",
        created=True,
    )


def lecture_update(*, actor, lecture: LeaderLecture, given_on, occasion, leader, title):
    require_league(actor, lecture.school)
    values = _lecture_values(given_on=given_on, occasion=occasion, leader=leader, title=title)
    return _save(
        actor=actor,
        school=lecture.school,
        record=lecture,
        values=values,
        action="oversight.lecture.changed",
        created=False,
    )


def lecture_delete(*, actor, lecture: LeaderLecture) -> None:
    _delete(actor=actor, record=lecture, action="oversight.lecture.deleted")


# -- work plans ------------------------------------------------------------------------------


def _plan_values(*, year, document, excerpt) -> dict:
    this_year = timezone.localdate().year
    if not 1949 <= int(year) <= this_year + 1:
        raise DomainError(
            _("The year must be between 1949 and %(y)s.") % {"y": this_year + 1}, field="year"
        )
    return {
        "year": int(year),
        "document": _text(document, "document", _("the document"), 200),
        "excerpt": _text(excerpt, "excerpt", _("what it says about the union"), 4000),
    }


def plan_add(*, actor, school: School, year, document, excerpt) -> WorkPlan:
    require_league(actor, school)
    return _save(
        actor=actor,
        school=school,
        record=WorkPlan(school=school),
        values=_plan_values(year=year, document=document, excerpt=excerpt),
        action="oversight.plan.recorded",
        created=True,
    )


def plan_update(*, actor, plan: WorkPlan, year, document, excerpt) -> WorkPlan:
    require_league(actor, plan.school)
    return _save(
        actor=actor,
        school=plan.school,
        record=plan,
        values=_plan_values(year=year, document=document, excerpt=excerpt),
        action="oversight.plan.changed",
        created=False,
    )


def plan_delete(*, actor, plan: WorkPlan) -> None:
    _delete(actor=actor, record=plan, action="oversight.plan.deleted")


# -- leaders assigned to the union -----------------------------------------------------------


def _assignment_values(*, school, union, kind, leader, position, start, end) -> dict:
    _school_union(union, school)
    if kind not in AssignmentKind.values:
        raise DomainError(_("Choose what the leader is assigned to do."), field="kind")
    if end is not None and end < start:
        raise DomainError(_("The term cannot end before it starts."), field="end")
    return {
        "union": union,
        "kind": kind,
        "leader": _text(leader, "leader", _("the leader"), 80),
        "position": _text(position, "position", _("the position"), 120, required=False),
        "start": start,
        "end": end,
    }


def _no_overlap(school, values: dict, exclude: int | None = None) -> None:
    """One leader at a time holds each assignment of a union (checked under the union's row
    lock, so two editors cannot both add one for the same days)."""
    Union.objects.select_for_update(of=("self",)).filter(pk=values["union"].pk).order_by().first()
    same = LeaderAssignment.objects.filter(
        school=school, union=values["union"], kind=values["kind"]
    ).exclude(pk=exclude)
    end = values["end"]
    for other in same:
        if (other.end is None or other.end >= values["start"]) and (
            end is None or end >= other.start
        ):
            raise DomainError(
                _("%(leader)s already holds this assignment from %(start)s; end that term first.")
                % {"leader": other.leader, "start": other.start.isoformat()},
                field="start",
            )


def assignment_add(
    *, actor, school: School, union, kind, leader, position="", start, end=None
) -> LeaderAssignment:
    require_league(actor, school)
    values = _assignment_values(
        school=school,
        union=union,
        kind=kind,
        leader=leader,
        position=position,
        start=start,
        end=end,
    )
    with transaction.atomic():
        _no_overlap(school, values)
        return _save(
            actor=actor,
            school=school,
            record=LeaderAssignment(school=school),
            values=values,
            action="oversight.assignment.recorded",
            created=True,
        )


def assignment_update(
    *, actor, assignment: LeaderAssignment, union, kind, leader, position="", start, end=None
) -> LeaderAssignment:
    school = assignment.school
    require_league(actor, school)
    values = _assignment_values(
        school=school,
        union=union,
        kind=kind,
        leader=leader,
        position=position,
        start=start,
        end=end,
    )
    with transaction.atomic():
        _no_overlap(school, values, exclude=assignment.pk)
        return _save(
            actor=actor,
            school=school,
            record=assignment,
            values=values,
            action="oversight.assignment.changed",
            created=False,
        )


def assignment_delete(*, actor, assignment: LeaderAssignment) -> None:
    _delete(actor=actor, record=assignment, action="oversight.assignment.deleted")
