"""Who may do what with activities and proposals, and the bounded reads the pages use.

Predicates take a ``Viewer`` (built once per request, or by a service from its actor). The
fetch-and-authorise helpers turn them into 404 (may not see) and 403 (may see, may not change).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    Attendance,
    FilingDecision,
    Proposal,
    ProposalStatus,
    ProposalSupport,
    Rating,
)
from tuanxue.core.models import AuditEvent, School
from tuanxue.core.parsing import is_number
from tuanxue.org.access import Viewer
from tuanxue.org.models import (
    HEAD_TITLES,
    PRESIDIUM_TITLES,
    BodyKind,
    Department,
    Role,
    Society,
)

ACTIVITY_RELATED = (
    "school",
    "organiser_body__union__school",
    "organiser_body__union__college",
    "organiser_society__school",
    "organiser_society__college",
)
PROPOSAL_RELATED = ("school", "proposer", "body__union__school", "body__union__college", "activity")


# -- who may do what --------------------------------------------------------------------------


def sees_filings(viewer: Viewer, school: School) -> bool:
    """The school offices read the filing queue; only the League committee decides."""
    return viewer.has_school_office(school)


def may_run_body(viewer: Viewer, body: Department) -> bool:
    """Organise in the name of a union body: whoever manages the union, the body's minister or
    vice-minister, or a member of that union's presidium."""
    if viewer.can_manage_union(body.union):
        return True
    for post in viewer.posts:
        if post.body_id == body.pk and post.title in HEAD_TITLES:
            return True
        if post.union_id == body.union_id and post.title in PRESIDIUM_TITLES:
            return True
    return False


def may_run_society(viewer: Viewer, society: Society) -> bool:
    """A society's activities are organised under the school League committee."""
    return viewer.is_league_committee(society.school)


def may_change_activity(viewer: Viewer, activity: Activity) -> bool:
    if activity.organiser_body_id:
        return may_run_body(viewer, activity.organiser_body)
    return may_run_society(viewer, activity.organiser_society)


def may_see_activity(viewer: Viewer, activity: Activity) -> bool:
    if activity.status == ActivityStatus.PUBLISHED:
        return True
    if not viewer.can_see_school(activity.school):
        return False
    return sees_filings(viewer, activity.school) or may_change_activity(viewer, activity)


def may_decide_proposal(viewer: Viewer, body: Department) -> bool:
    """The body's heads, the presidium of its union, or the League committee (the school's,
    or for a college union that college's)."""
    union = body.union
    if viewer.is_league_committee(union.school):
        return True
    if union.college_id is not None and any(
        g.college_id == union.college_id for g in viewer.grants_for(Role.COLLEGE_LEAGUE)
    ):
        return True
    for post in viewer.posts:
        if post.body_id == body.pk and post.title in HEAD_TITLES:
            return True
        if post.union_id == union.pk and post.title in PRESIDIUM_TITLES:
            return True
    return False


def organiser_choices(viewer: Viewer, school: School) -> tuple[list[Department], list[Society]]:
    """The bodies and societies this viewer may organise for (two queries)."""
    bodies = [
        body
        for body in Department.objects.filter(union__school=school)
        .select_related("union__school", "union__college")
        .order_by("union__college__order", "union__college_id", "order", "name")
        if may_run_body(viewer, body)
    ]
    societies = []
    if viewer.is_league_committee(school):
        societies = list(Society.objects.filter(school=school).select_related("school"))
    return bodies, societies


def decidable_bodies(viewer: Viewer, school: School) -> list[Department]:
    return [
        body
        for body in Department.objects.filter(union__school=school).select_related(
            "union__school", "union__college"
        )
        if may_decide_proposal(viewer, body)
    ]


# -- fetch and authorise -----------------------------------------------------------------------


def get_public_school(code: str) -> School:
    school = School.objects.filter(code=code).first()
    if school is None:
        raise Http404
    return school


def get_activity_for_viewer(
    school: School, activity_id: int, viewer: Viewer, *, write: bool = False
) -> Activity:
    activity = (
        Activity.objects.select_related(*ACTIVITY_RELATED, "created_by")
        .filter(pk=activity_id, school=school)
        .first()
    )
    if activity is None or not may_see_activity(viewer, activity):
        raise Http404
    if write and not may_change_activity(viewer, activity):
        raise PermissionDenied
    return activity


def get_proposal_for_viewer(school: School, proposal_id: int, viewer: Viewer) -> Proposal:
    proposal = (
        Proposal.objects.select_related(*PROPOSAL_RELATED, "decided_by")
        .filter(pk=proposal_id, school=school)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


# -- the catalogue ---------------------------------------------------------------------------


@dataclass
class CatalogueFilters:
    area: str = ""
    brand: str = ""
    organiser: str = ""  # "school" (school level) or a college pk
    when: str = ""  # "upcoming", "past" or "" (all)
    q: str = ""

    @property
    def active(self) -> bool:
        return any([self.area, self.brand, self.organiser, self.when, self.q])


def with_ratings(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.annotate(rating_avg=Avg("ratings__score"), rating_count=Count("ratings"))


def catalogue(school: School, filters: CatalogueFilters) -> QuerySet[Activity]:
    """Published activities of a school, filtered, with their rating average and count."""
    activities = Activity.objects.filter(school=school, status=ActivityStatus.PUBLISHED)
    if filters.area:
        activities = activities.filter(area=filters.area)
    if filters.brand:
        # Brand values never contain one another, so a text match on the JSON list is exact.
        activities = activities.filter(brands__icontains=filters.brand)
    if filters.organiser == "school":
        activities = activities.filter(
            Q(organiser_body__union__college__isnull=True, organiser_body__isnull=False)
            | Q(organiser_society__isnull=False, organiser_society__college__isnull=True)
        )
    elif is_number(filters.organiser):
        college_id = int(filters.organiser)
        activities = activities.filter(
            Q(organiser_body__union__college_id=college_id)
            | Q(organiser_society__college_id=college_id)
        )
    now = timezone.now()
    if filters.q:
        activities = activities.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(place__icontains=filters.q)
        )
    if filters.when == "upcoming":
        activities = activities.filter(ends_at__gte=now).order_by("starts_at", "pk")
    elif filters.when == "past":
        activities = activities.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        activities = activities.order_by("-starts_at", "-pk")
    return with_ratings(activities.select_related(*ACTIVITY_RELATED))


def managed_activities(viewer: Viewer, school: School) -> list[Activity]:
    """Every activity (any status) this viewer organises, or all of them for the school offices."""
    activities = Activity.objects.filter(school=school).select_related(*ACTIVITY_RELATED)
    if sees_filings(viewer, school):
        return list(activities.order_by("-updated_at")[:200])
    bodies, societies = organiser_choices(viewer, school)
    return list(
        activities.filter(
            Q(organiser_body__in=bodies) | Q(organiser_society__in=societies)
        ).order_by("-updated_at")[:200]
    )


def filing_queue(school: School) -> list[Activity]:
    return list(
        Activity.objects.filter(school=school, status=ActivityStatus.FILED)
        .select_related(*ACTIVITY_RELATED, "created_by")
        .order_by("starts_at", "pk")
    )


def recent_filing_decisions(school: School, limit: int = 30) -> list[FilingDecision]:
    return list(
        FilingDecision.objects.filter(activity__school=school)
        .select_related("activity", "actor")
        .order_by("-at", "-pk")[:limit]
    )


def activity_history(activity: Activity) -> list[AuditEvent]:
    """The routing of one activity: every audit event about it, oldest first."""
    return list(
        AuditEvent.objects.filter(
            school_id=activity.school_id,
            target_type=activity._meta.label_lower,
            target_id=str(activity.pk),
        ).order_by("id")
    )


def rating_summary(activity: Activity) -> dict:
    return Rating.objects.filter(activity=activity).aggregate(avg=Avg("score"), count=Count("pk"))


def recent_ratings(activity: Activity, limit: int = 20) -> list[Rating]:
    return list(
        Rating.objects.filter(activity=activity).exclude(comment="").order_by("-at")[:limit]
    )


def rating_state(viewer: Viewer, activity: Activity) -> str:
    """Whether the viewer may rate: "rate", "rated", "not_started", "not_attended" or ""."""
    student = viewer.student
    if student is None or student.school_id != activity.school_id:
        return ""
    if not Attendance.objects.filter(activity=activity, student=student).exists():
        return "not_attended"
    if Rating.objects.filter(activity=activity, student=student).exists():
        return "rated"
    if activity.starts_at > timezone.now():
        return "not_started"
    return "rate"


# -- proposals -------------------------------------------------------------------------------


def proposals_by_state(school: School) -> dict[str, list[Proposal]]:
    rows = list(
        Proposal.objects.filter(school=school)
        .select_related(*PROPOSAL_RELATED)
        .order_by("-created_at", "-pk")[:300]
    )
    now = timezone.now()
    groups: dict[str, list[Proposal]] = {"collecting": [], "on_list": [], "decided": []}
    for p in rows:
        p.is_open = proposal_is_open(p, now)
        if p.status == ProposalStatus.COLLECTING and p.is_open:
            groups["collecting"].append(p)
        elif p.status == ProposalStatus.ON_LIST:
            groups["on_list"].append(p)
        else:
            groups["decided"].append(p)
    return groups


def proposal_is_open(proposal: Proposal, now=None) -> bool:
    """Still collecting support: collecting or on the list, and within its window."""
    return proposal.status in (
        ProposalStatus.COLLECTING,
        ProposalStatus.ON_LIST,
    ) and proposal.support_until > (now or timezone.now())


def supported_ids(viewer: Viewer, proposals: list[Proposal]) -> set[int]:
    if viewer.student is None or not proposals:
        return set()
    return set(
        ProposalSupport.objects.filter(
            student=viewer.student, proposal__in=[p.pk for p in proposals]
        ).values_list("proposal_id", flat=True)
    )


def department_list(bodies: list[Department]) -> list[Proposal]:
    """The proposals waiting for a decision by these bodies."""
    return list(
        Proposal.objects.filter(body__in=bodies, status=ProposalStatus.ON_LIST)
        .select_related(*PROPOSAL_RELATED)
        .order_by("-supports", "created_at")
    )


def proposal_bodies(school: School) -> QuerySet[Department]:
    return (
        Department.objects.filter(union__school=school, kind=BodyKind.DEPARTMENT)
        .select_related("union__college")
        .order_by("union__college__order", "union__college_id", "order", "name")
    )


def linkable_activities(school: School) -> QuerySet[Activity]:
    return Activity.objects.filter(school=school).exclude(status=ActivityStatus.CANCELLED)
