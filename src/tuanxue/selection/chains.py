"""Approval chains per school, with the seed school's chains as the defaults."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.models import School
from tuanxue.org.models import Role
from tuanxue.selection.models import ApprovalChain, ChainKind, ChainStep, StepScope

DEFAULT_CHAINS = {
    ChainKind.PRESIDIUM: (
        "主席团候选人审批",
        [
            ("学院团委推荐", [Role.COLLEGE_LEAGUE], StepScope.COLLEGE),
            ("学院党总支同意", [Role.COLLEGE_PARTY], StepScope.COLLEGE),
            (
                "学工部、校团委联合审查并面试",
                [Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE],
                StepScope.SCHOOL,
            ),
            ("校党委审定", [Role.SCHOOL_PARTY], StepScope.SCHOOL),
            ("省学联同意", [Role.FEDERATION], StepScope.FEDERATION),
        ],
    ),
    ChainKind.DEPARTMENT: (
        "工作部门成员审批",
        [
            ("学院团委推荐", [Role.COLLEGE_LEAGUE], StepScope.COLLEGE),
            ("学工部、校团委审核", [Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE], StepScope.SCHOOL),
        ],
    ),
}


def chains_ensure(*, actor, school: School) -> dict[str, ApprovalChain]:
    """The school's chains, created from the defaults where a kind has none yet."""
    chains = {c.kind: c for c in ApprovalChain.objects.filter(school=school)}
    missing = [kind for kind in DEFAULT_CHAINS if kind not in chains]
    if missing:
        with transaction.atomic():
            for kind in missing:
                name, steps = DEFAULT_CHAINS[kind]
                chain, created = ApprovalChain.objects.get_or_create(
                    school=school, kind=kind, defaults={"name": name}
                )
                if created:
                    for order, (step_name, roles, scope) in enumerate(steps, start=1):
                        ChainStep.objects.create(
                            chain=chain,
                            order=order,
                            name=step_name,
                            roles=[str(r) for r in roles],
                            scope=scope,
                        )
                    audit_record(
                        school=school,
                        actor=actor,
                        action="selection.chain.created",
                        target=chain,
                        new={"kind": kind, "steps": [s[0] for s in steps]},
                    )
                chains[kind] = chain
    return chains


def chain_steps(school: School, kind: str) -> list[ChainStep]:
    chain = chains_ensure(actor=None, school=school)[kind]
    steps = list(chain.steps.order_by("order"))
    if not steps:
        raise ValueError(_("The approval chain %(name)s has no steps.") % {"name": chain.name})
    return steps
