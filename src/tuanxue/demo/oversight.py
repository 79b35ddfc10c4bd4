"""Oversight records of the demo school's 2020 history, as the seed's sections (九) and (十)
tell it: the school leaders assigned to the union, the 2020 work plans, the Party committee
hearing the union's report in June 2020, leaders' lectures, and filings accepted by the League
committee. Written through the services (audited), then dated to when they happened.
Registered with ``org.demo`` as an "after" step in apps.ready."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tuanxue.org.models import Union
from tuanxue.oversight import filing, services
from tuanxue.oversight.models import (
    AssignmentKind,
    Filing,
    FilingDecisionKind,
    FilingKind,
    FilingReview,
    HearingTopic,
    Occasion,
)

DECIDED = dt.date(2020, 6, 29)

ASSIGNMENTS = [
    (AssignmentKind.IN_CHARGE, "陈国华", "校党委副书记（负责学生工作）"),
    (AssignmentKind.TAKES_PART, "林志强", "校党委委员、副校长（负责教学工作）"),
]

PLANS = [
    (
        2020,
        "《中共广东工贸职业技术学院委员会、广东工贸职业技术学院2020年工作要点》"
        "（粤工贸院党字〔2020〕16号）",
        "把学生会建设纳入学校党建工作整体格局统筹谋划，深化学生会改革。",
    ),
    (
        2020,
        "《中共广东工贸职业技术学院委员会学生会深化改革实施方案》（粤工贸院党字〔2020〕31号）",
        "明确指导思想和“四个坚持”原则，在工作场地、经费、机制等方面给予支持和保障。",
    ),
]

HEARING = (
    dt.date(2020, 6, 29),
    "校党委会",
    [HearingTopic.CONGRESS, HearingTopic.REFORM, HearingTopic.CHARTER, HearingTopic.CANDIDATES],
    "专题听取学生会关于第十四次学生代表大会筹备的工作汇报，研究学生会深化改革、章程修改及新一届"
    "主席团候选人等事项；明确负责学生工作的校领导分管学生会，负责教学工作的校领导参与学生会管理。",
)

LECTURES = [
    (dt.date(2020, 5, 4), Occasion.MAY_FOURTH, "校党委书记", "传承五四精神，做新时代有为青年"),
    (dt.date(2020, 7, 8), Occasion.YOUTH_MARXISM, "校党委副书记", "青年马克思主义者的使命与担当"),
    (dt.date(2020, 9, 14), Occasion.TERM_START, "校长", "开学第一课：扣好人生第一粒扣子"),
]

# (kind, title, occurs_on, counterpart, content, filed, decided, [returned reason])
FILINGS = [
    (
        FilingKind.MATTER,
        "第十四次学生代表大会筹备方案",
        dt.date(2020, 8, 25),
        "",
        "大会定于8月25日在天河校区大礼堂召开，议程为听取工作报告、审议章程修改案、选举主席团。",
        dt.date(2020, 6, 18),
        dt.date(2020, 6, 20),
        "",
    ),
    (
        FilingKind.INFORMATION,
        "学生会深化改革进展情况报送",
        dt.date(2020, 7, 15),
        "",
        "报送工作人员精简、部门调整和学代会筹备的进展，拟在学生会公众号发布。",
        dt.date(2020, 7, 13),
        dt.date(2020, 7, 14),
        "",
    ),
    (
        FilingKind.EXTERNAL,
        "与兄弟院校学生会交流学生会改革经验",
        dt.date(2020, 9, 20),
        "广东轻工职业技术学院学生会",
        "主席团2人、秘书部1人赴对方学校交流学生会改革和学生代表大会的经验，不涉及经费往来。",
        dt.date(2020, 9, 10),
        dt.date(2020, 9, 12),
        "请写明参加人员和是否涉及经费。",
    ),
    (
        FilingKind.ACTIVITY,
        "2020级新生迎新晚会",
        dt.date(2020, 9, 26),
        "",
        "面向2020级新生，预计1200人参加，安全预案和场地已与后勤处、保卫处确认。",
        dt.date(2020, 9, 8),
        dt.date(2020, 9, 9),
        "",
    ),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _later_years(school, union) -> None:
    """The school goes on after 2020: each later year's work plan, the Party committee hearing
    the union's report before the congress, the May Fourth lecture and a filing, up to today, so
    that today's self-assessment reads current records too."""
    today = timezone.localdate()
    for year in range(2021, today.year + 1):
        services.plan_add(
            actor=None,
            school=school,
            year=year,
            document=f"《中共广东工贸职业技术学院委员会、广东工贸职业技术学院{year}年工作要点》",
            excerpt="继续把学生会建设纳入学校党建工作整体格局，巩固学生会深化改革成果。",
        )
        heard = dt.date(year, 6, 28)
        if heard <= today:
            services.hearing_add(
                actor=None,
                school=school,
                union=union,
                held_on=heard,
                meeting="校党委会",
                topics=[HearingTopic.WORK, HearingTopic.CONGRESS, HearingTopic.CANDIDATES],
                summary="听取学生会年度工作汇报，研究学生代表大会筹备和主席团候选人事项。",
            )
        lecture = dt.date(year, 5, 4)
        if lecture <= today:
            services.lecture_add(
                actor=None,
                school=school,
                given_on=lecture,
                occasion=Occasion.MAY_FOURTH,
                leader="校党委书记",
                title=f"{year}年五四青年节专题报告",
            )
        occurs = dt.date(year, 7, 10)
        if occurs <= today:
            record = filing.filing_submit(
                actor=None,
                union=union,
                kind=FilingKind.INFORMATION,
                title=f"{year}年学生会工作情况报送",
                content="报送学生会年度工作开展情况，拟在学生会公众号发布。",
                occurs_on=occurs,
            )
            filing.filing_decide(actor=None, filing=record, decision=FilingDecisionKind.ACCEPT)
            Filing.objects.filter(pk=record.pk).update(filed_at=_at(occurs - dt.timedelta(days=3)))
            FilingReview.objects.filter(filing=record).update(at=_at(occurs - dt.timedelta(days=2)))


def build(school) -> None:
    union = Union.objects.get(school=school, college__isnull=True)
    for kind, leader, position in ASSIGNMENTS:
        services.assignment_add(
            actor=None,
            school=school,
            union=union,
            kind=kind,
            leader=leader,
            position=position,
            start=DECIDED,
        )
    for year, document, excerpt in PLANS:
        services.plan_add(actor=None, school=school, year=year, document=document, excerpt=excerpt)
    held_on, meeting, topics, summary = HEARING
    services.hearing_add(
        actor=None,
        school=school,
        union=union,
        held_on=held_on,
        meeting=meeting,
        topics=topics,
        summary=summary,
    )
    for given_on, occasion, leader, title in LECTURES:
        services.lecture_add(
            actor=None,
            school=school,
            given_on=given_on,
            occasion=occasion,
            leader=leader,
            title=title,
        )
    for kind, title, occurs_on, counterpart, content, filed, decided, returned in FILINGS:
        record = filing.filing_submit(
            actor=None,
            union=union,
            kind=kind,
            title=title,
            content=content,
            occurs_on=occurs_on,
            counterpart=counterpart,
        )
        if returned:
            filing.filing_decide(
                actor=None, filing=record, decision=FilingDecisionKind.RETURN, reason=returned
            )
            filing.filing_resubmit(
                actor=None,
                filing=record,
                kind=kind,
                title=title,
                content=content,
                occurs_on=occurs_on,
                counterpart=counterpart,
            )
        filing.filing_decide(actor=None, filing=record, decision=FilingDecisionKind.ACCEPT)
        # History: the dates it was filed and decided in 2020.
        Filing.objects.filter(pk=record.pk).update(filed_at=_at(filed))
        for i, review in enumerate(record.reviews.order_by("pk")):
            FilingReview.objects.filter(pk=review.pk).update(at=_at(decided, 9 + i))
    _later_years(school, union)
