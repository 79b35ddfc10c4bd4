"""Reads for the transcript: what a student's transcript says today (the content an issue
freezes), the per-area totals against the school's requirements, and who may see what.

The content is built only from records, never typed: certified ledger entries (each counted in
the education area of its source), union service from the student's posts, duty-review results
and congress delegate service. Amounts are strings with two decimals, so the content's JSON and
its SHA-256 are the same on every database.

Rules (school settings, see docs/transcript.md):
- a ledger entry counts once certified; a correction counts towards its entry's area;
- a volunteer shift counts towards 志愿服务; an activity towards its own education area;
- union service: a semester counts when it has ended and one of the student's posts covered at
  least half of its days; each such semester (once, however many posts) earns
  ``union_hours_per_semester`` hours; certified duty-review credit adds to union service;
- congress service: each session the student attended as a confirmed delegate (held on or
  before today) earns ``delegate_hours_per_session`` hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuanxue.activities.models import Attendance, EducationArea
from tuanxue.congress.models import Delegate, DelegateStatus
from tuanxue.core.documents.charts import Bar, Chart, hbar_chart
from tuanxue.core.models import School, Semester
from tuanxue.ledger.models import CreditCategory, CreditEntry, CreditUnit
from tuanxue.org.access import Viewer
from tuanxue.org.models import College, Membership, Role, Student
from tuanxue.review.models import ReviewResult, ReviewStatus
from tuanxue.transcript.models import IssuedTranscript, TranscriptSettings, TranscriptStatus

CONTENT_VERSION = 1
ZERO = Decimal("0.00")
UNION = "union_service"
CONGRESS = "congress_service"
OTHER = "other"
SIX_AREAS = list(EducationArea.values)
AREAS = [*SIX_AREAS, UNION, CONGRESS]
AREA_LABELS = {
    **dict(EducationArea.choices),
    UNION: _("union service"),
    CONGRESS: _("congress delegate service"),
    OTHER: _("other certified credit"),
}
SETTING_FIELDS = {area: f"min_{area}" for area in AREAS}
# Ledger categories that belong to union service rather than to an education area.
UNION_CATEGORIES = {CreditCategory.REVIEW, CreditCategory.UNION_POST}


def area_label(area: str) -> str:
    return str(AREA_LABELS.get(area, area))


def _amount(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


# -- settings ---------------------------------------------------------------------------------


def settings_for(school: School) -> TranscriptSettings:
    """The school's settings, or the defaults (unsaved) when it has none yet."""
    found = TranscriptSettings.objects.filter(school=school).first()
    return found if found is not None else TranscriptSettings(school=school)


def requirements(rules: TranscriptSettings) -> dict[str, Decimal]:
    return {area: getattr(rules, field) for area, field in SETTING_FIELDS.items()}


# -- the content ------------------------------------------------------------------------------


def _entry_area(entry: CreditEntry, activity_area: dict[int, str]) -> str:
    original = entry.corrects if entry.corrects_id else entry
    if original.category in UNION_CATEGORIES:
        return UNION
    if original.category == CreditCategory.VOLUNTEER:
        return EducationArea.VOLUNTEER
    if original.source_type == "activities.attendance" and original.source_id.isdigit():
        return activity_area.get(int(original.source_id), OTHER)
    return OTHER


def _ledger_rows(student: Student) -> list[dict]:
    rows = list(
        CreditEntry.objects.filter(student=student, certification__isnull=False)
        .select_related("corrects")
        .order_by("created_at", "pk")
    )
    attendance_ids = set()
    for entry in rows:
        original = entry.corrects if entry.corrects_id else entry
        if original.source_type == "activities.attendance" and original.source_id.isdigit():
            attendance_ids.add(int(original.source_id))
    activity_area = dict(
        Attendance.objects.filter(pk__in=attendance_ids).values_list("pk", "activity__area")
    )
    return [
        {
            "id": entry.pk,
            "area": _entry_area(entry, activity_area),
            "label": entry.source_label,
            "date": timezone.localdate(entry.created_at).isoformat(),
            "amount": _amount(entry.amount),
            "unit": entry.unit,
            "correction": entry.corrects_id is not None,
        }
        for entry in rows
    ]


def semesters_served(
    posts: list[Membership], semesters: list[Semester], today: dt.date
) -> dict[int, list[str]]:
    """For each post, the codes of the ended semesters it covered at least half of."""
    served: dict[int, list[str]] = {}
    for post in posts:
        codes = []
        end_of_post = post.end or today
        for semester in semesters:
            if semester.end > today:
                continue
            first = max(post.start, semester.start)
            last = min(end_of_post, semester.end)
            days = (semester.end - semester.start).days + 1
            covered = (last - first).days + 1
            if covered > 0 and covered * 2 >= days:
                codes.append(semester.code)
        served[post.pk] = codes
    return served


def transcript_content(student: Student, *, today: dt.date | None = None) -> dict:
    """What the student's transcript says today. Seven queries."""
    today = today or timezone.localdate()
    school = student.school
    rules = settings_for(school)
    required = requirements(rules)
    entries = _ledger_rows(student)

    posts = list(
        Membership.objects.filter(student=student)
        .select_related("union", "body")
        .order_by("start", "pk")
    )
    semesters = list(Semester.objects.filter(school=school).order_by("start"))
    served = semesters_served(posts, semesters, today)
    distinct_semesters = sorted({code for codes in served.values() for code in codes})
    union_hours = rules.union_hours_per_semester * len(distinct_semesters)

    reviews = list(
        ReviewResult.objects.filter(
            reviewee__student=student,
            reviewee__session__status=ReviewStatus.PUBLISHED,
        )
        .select_related("reviewee__session__semester", "reviewee__session__union")
        .order_by("reviewee__session__held_on", "pk")
    )
    delegacies = list(
        Delegate.objects.filter(
            student=student,
            status=DelegateStatus.CONFIRMED,
            session__held_on__lte=today,
        )
        .select_related("session")
        .order_by("session__held_on", "pk")
    )

    hours: dict[str, Decimal] = defaultdict(lambda: ZERO)
    points: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in entries:
        amount = Decimal(row["amount"])
        if row["unit"] == CreditUnit.HOURS:
            hours[row["area"]] += amount
        else:
            points[row["area"]] += amount
    hours[UNION] += union_hours
    hours[CONGRESS] += rules.delegate_hours_per_session * len(delegacies)

    shown = AREAS + ([OTHER] if hours[OTHER] or points[OTHER] else [])
    areas = []
    for area in shown:
        need = required.get(area, ZERO)
        areas.append(
            {
                "area": area,
                "hours": _amount(hours[area]),
                "points": _amount(points[area]),
                "required": _amount(need),
                "met": hours[area] >= need,
            }
        )
    return {
        "version": CONTENT_VERSION,
        "school": {"code": school.code, "name": school.name},
        "student": {
            "name": student.name,
            "student_no": student.student_no,
            "college": student.college.name,
            "major": student.major.name,
            "class": student.class_group.name,
            "grade": student.grade,
        },
        "rules": {
            "union_hours_per_semester": _amount(rules.union_hours_per_semester),
            "delegate_hours_per_session": _amount(rules.delegate_hours_per_session),
        },
        "areas": areas,
        "total_hours": _amount(sum((hours[a] for a in shown), ZERO)),
        "requirements_met": all(a["met"] for a in areas),
        "entries": entries,
        "posts": [
            {
                "union": post.union.name,
                "body": post.body.name,
                "title": post.title,
                "start": post.start.isoformat(),
                "end": post.end.isoformat() if post.end else None,
                "semesters": served[post.pk],
            }
            for post in posts
        ],
        "union_semesters": distinct_semesters,
        "reviews": [
            {
                "semester": r.reviewee.session.semester.code,
                "union": r.reviewee.session.union.name,
                "post": r.reviewee.post,
                "grade": r.grade,
                "overall": _amount(r.overall),
            }
            for r in reviews
        ],
        "congress": [
            {
                "session": d.session.name,
                "held_on": d.session.held_on.isoformat(),
                "hours": _amount(rules.delegate_hours_per_session),
            }
            for d in delegacies
        ],
    }


def content_hash(content: dict) -> str:
    """SHA-256 of the content's canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# -- totals for pages and charts --------------------------------------------------------------


@dataclass(frozen=True)
class AreaTotal:
    area: str
    label: str
    hours: Decimal
    points: Decimal
    required: Decimal
    met: bool

    @property
    def percent(self) -> int:
        """How far towards the requirement (100 when none is set)."""
        if self.required <= 0:
            return 100
        return min(100, int(self.hours * 100 / self.required))


def area_totals(content: dict) -> list[AreaTotal]:
    """The per-area totals against the requirements, from a content (live or issued)."""
    return [
        AreaTotal(
            area=row["area"],
            label=area_label(row["area"]),
            hours=Decimal(row["hours"]),
            points=Decimal(row["points"]),
            required=Decimal(row["required"]),
            met=row["met"],
        )
        for row in content["areas"]
    ]


def area_chart(totals: list[AreaTotal]) -> Chart:
    """The transcript per area against the school's requirement, as a chart with its table."""
    bars = [
        Bar(
            t.label,
            float(t.hours),
            low=float(t.required) if t.required else None,
            ok=t.met,
            limit_text=f"≥ {t.required}" if t.required else "—",
        )
        for t in totals
    ]
    return hbar_chart(
        title=_("Hours per area against the requirement"),
        bars=bars,
        label_header=_("Area"),
        value_header=_("Hours"),
        limit_header=_("Required"),
    )


def student_area_totals(student: Student) -> list[AreaTotal]:
    """The live per-area totals of one student (for a chart)."""
    return area_totals(transcript_content(student))


def entries_by_area(content: dict) -> list[tuple[str, str, list[dict]]]:
    """The content's ledger entries grouped by area, in the areas' order: (area, label, rows)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in content["entries"]:
        groups[row["area"]].append(row)
    order = [*AREAS, OTHER]
    return [(a, area_label(a), groups[a]) for a in order if groups.get(a)]


# -- issued transcripts -----------------------------------------------------------------------


def current_transcript(student: Student) -> IssuedTranscript | None:
    return IssuedTranscript.objects.filter(student=student, status=TranscriptStatus.CURRENT).first()


def issued_for(student: Student) -> list[IssuedTranscript]:
    return list(IssuedTranscript.objects.filter(student=student).order_by("-issued_at", "-pk"))


def by_code(code: str) -> IssuedTranscript | None:
    code = "".join(code.split()).upper()
    if not code or len(code) > 20:
        return None
    return IssuedTranscript.objects.select_related("school").filter(code=code).first()


def masked_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜: enough to match a person in hand, not to find one."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# -- who may see and do what ------------------------------------------------------------------

READERS = {Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS}


def _college_league(viewer: Viewer, school: School) -> set[int]:
    return {
        g.college_id
        for g in viewer.grants_for(Role.COLLEGE_LEAGUE)
        if g.college_id and g.school_id == school.pk
    }


def is_own(viewer: Viewer, student: Student) -> bool:
    return viewer.student is not None and viewer.student.pk == student.pk


def may_see(viewer: Viewer, student: Student) -> bool:
    """The student, the school League committee and Student Affairs, the student's college
    League committee."""
    return (
        is_own(viewer, student)
        or viewer.has_school_office(student.school, READERS)
        or student.college_id in _college_league(viewer, student.school)
    )


def may_issue(viewer: Viewer, student: Student) -> bool:
    return (
        is_own(viewer, student)
        or viewer.is_league_committee(student.school)
        or student.college_id in _college_league(viewer, student.school)
    )


def may_revoke(viewer: Viewer, school: School) -> bool:
    return viewer.is_league_committee(school)


def may_edit_settings(viewer: Viewer, school: School) -> bool:
    return viewer.is_league_committee(school)


def may_look_up(viewer: Viewer, school: School) -> bool:
    """May open the staff page (look students up, start batches)."""
    return viewer.has_school_office(school, READERS) or bool(_college_league(viewer, school))


def may_batch_college(viewer: Viewer, college: College) -> bool:
    school = college.school
    return viewer.is_league_committee(school) or college.pk in (_college_league(viewer, school))


def batch_scopes(viewer: Viewer, school: School):
    """The colleges and classes the viewer may run a batch for."""
    from tuanxue.org.models import ClassGroup

    colleges = list(College.objects.filter(school=school).order_by("order", "name"))
    for college in colleges:
        college.school = school
    colleges = [c for c in colleges if may_batch_college(viewer, c)]
    ids = [c.pk for c in colleges]
    classes = list(
        ClassGroup.objects.filter(school=school, college_id__in=ids)
        .select_related("college")
        .order_by("college__order", "-grade", "name")
    )
    return colleges, classes
