"""A finished recruitment round kept as history, for the living demo's schools."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tuanxue.core.audit import audit_record
from tuanxue.demo.living.dates import _at
from tuanxue.selection.models import (
    Application,
    ApplicationStatus,
    ChainKind,
    Decision,
    RecruitmentRound,
    RoundStatus,
    Seat,
    StepAction,
)


def record_finished_round(
    *, school, union, name, held, posts, chains, offices, created_by, not_elected=None
) -> RecruitmentRound:
    """A finished recruitment round kept as history: every post's application went through
    every step of its chain (each office approving), rows in bulk with one audit event."""
    rnd = RecruitmentRound.objects.create(
        school=school,
        union=union,
        name=name,
        term_start=held,
        opens_at=_at(held - dt.timedelta(days=30), 9),
        closes_at=_at(held - dt.timedelta(days=18), 18),
        status=RoundStatus.FINISHED,
        created_by=created_by,
    )
    counts = Counter((p.body_id, p.title) for p in posts)
    bodies = {p.body_id: p.body for p in posts}
    seats = {
        key: Seat(round=rnd, body=bodies[key[0]], title=key[1], count=n)
        for key, n in counts.items()
    }
    Seat.objects.bulk_create(seats.values())
    steps = {kind: list(chain.steps.order_by("order")) for kind, chain in chains.items()}
    statement = "希望在学生会继续为同学服务，做好校院两级联动。"
    since = _at(held - dt.timedelta(days=5), 10)
    applications = []
    for post in posts:
        kind = ChainKind.PRESIDIUM if post.body.is_presidium else ChainKind.DEPARTMENT
        applications.append(
            Application(
                school=school,
                round=rnd,
                student=post.student,
                seat=seats[(post.body_id, post.title)],
                statement=statement,
                status=ApplicationStatus.APPOINTED,
                step=len(steps[kind]),
                cycle=1,
                step_since=since,
                eligible=True,
                eligibility={"eligible": True, "reasons": []},
                membership=post,
            )
        )
    if not_elected is not None:
        presidium_seat = seats.get(next(((b, t) for b, t in seats if bodies[b].is_presidium)))
        applications.append(
            Application(
                school=school,
                round=rnd,
                student=not_elected,
                seat=presidium_seat,
                statement=statement,
                status=ApplicationStatus.NOT_ELECTED,
                step=len(steps[ChainKind.PRESIDIUM]),
                cycle=1,
                step_since=since,
                eligible=True,
                eligibility={"eligible": True, "reasons": []},
            )
        )
    Application.objects.bulk_create(applications)
    actions = []
    for application in applications:
        kind = application.seat.chain_kind
        for offset, step in enumerate(steps[kind]):
            day = held - dt.timedelta(days=16 - 2 * offset)
            for role in step.roles:
                actions.append(
                    StepAction(
                        application=application,
                        cycle=1,
                        step=step.order,
                        role=role,
                        decision=Decision.APPROVE,
                        comment="同意",
                        actor=offices.get(role),
                        at=_at(day, 10),
                    )
                )
    StepAction.objects.bulk_create(actions, batch_size=500)
    Application.objects.filter(round=rnd).update(created_at=_at(held - dt.timedelta(days=25), 20))
    audit_record(
        school=school,
        actor=None,
        action="selection.demo.finished_round",
        target=rnd,
        new={"round": rnd.name, "applications": len(applications), "actions": len(actions)},
    )
    return rnd
