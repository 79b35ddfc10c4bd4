"""Reads for the review pages and API, each with a bounded number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tuanxue.review.models import (
    PanelMember,
    Reviewee,
    ReviewResult,
    ReviewSession,
    ScoreSheet,
)


def sessions_of(school) -> QuerySet[ReviewSession]:
    return (
        ReviewSession.objects.filter(school=school)
        .select_related("union", "semester", "school")
        .annotate(
            n_reviewees=Count("reviewees", filter=Q(reviewees__active=True), distinct=True),
            n_panel=Count("panel", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def reviewees_of(session: ReviewSession) -> list[Reviewee]:
    return list(
        session.reviewees.select_related("student", "membership__body").order_by("order", "pk")
    )


def panel_of(session: ReviewSession) -> list[PanelMember]:
    return list(session.panel.all())


def scoring_rows(session: ReviewSession, member: PanelMember) -> list[tuple[Reviewee, bool]]:
    done = set(ScoreSheet.objects.filter(member=member).values_list("reviewee_id", flat=True))
    return [(r, r.pk in done) for r in reviewees_of(session) if r.active]


def results_of(session: ReviewSession) -> list[ReviewResult]:
    return list(
        ReviewResult.objects.filter(reviewee__session=session)
        .select_related("reviewee__student", "reviewee__membership__body")
        .order_by("reviewee__order", "reviewee__pk")
    )


def sheets_of(session: ReviewSession) -> list[ScoreSheet]:
    return list(
        ScoreSheet.objects.filter(session=session)
        .select_related("member", "reviewee__student")
        .order_by("reviewee__order", "member__name")
    )


def my_reviews(student) -> list[Reviewee]:
    return list(
        Reviewee.objects.filter(student=student, active=True)
        .select_related("session__union", "session__semester", "session__school", "result")
        .order_by("-session__held_on")
    )


def own_comments(reviewee: Reviewee) -> list[str]:
    """The panel's comments on a reviewee, without names, in a stable order that does not
    follow who wrote them (sorted by text)."""
    comments = ScoreSheet.objects.filter(reviewee=reviewee).exclude(comment="")
    return sorted(c for c in comments.values_list("comment", flat=True))
