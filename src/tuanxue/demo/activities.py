"""Activities, filings, proposals and ratings of the demo school.

``build_activities_demo(school)`` runs after the org demo (it finds the union bodies, societies,
logins and students by name). Every activity goes through the services, so the audit chain holds
its whole routing; attendance rows for the raters are written directly (check-in is another
part of the app). Content is the same on every run; dates are placed around the day it runs so
the catalogue always has upcoming and past activities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tuanxue.activities import services
from tuanxue.activities.models import Activity, Attendance, CheckMethod, Proposal
from tuanxue.activities.proposals import services as proposals
from tuanxue.core.models import School
from tuanxue.org.models import Department, Society, Student

ARTS_SHOW = "新生文艺汇演"
IT_CUP = "IT杯篮球赛"
IT_COLLEGE = "计算机与信息工程学院"


@dataclass(frozen=True)
class Plan:
    title: str
    organiser: tuple[str, str]  # ("school"|college name|"society", body or society name)
    area: str
    brands: tuple[str, ...]
    day: int  # days from the build day
    hour: int
    hours: int
    place: str
    capacity: int | None
    credit: str
    description: str
    external: str = ""
    outcome: str = "published"  # published | approved | filed | returned
    comment: str = ""
    unit: str = "hours"


PLANS = [
    Plan(
        ARTS_SHOW,
        ("school", "文艺部"),
        "aesthetics",
        ("school_brand",),
        -20,
        19,
        3,
        "大学生活动中心大礼堂",
        1500,
        "2",
        "面向全体新生的开学文艺汇演：各学院选送歌舞、器乐、朗诵和情景剧节目，"
        "展示新生风采，帮助新同学融入校园。",
        outcome="approved",
        comment="同意举办。请落实安全预案和入场分流，演出前一周报送节目单。",
    ),
    Plan(
        IT_CUP,
        (IT_COLLEGE, "文体部"),
        "culture_sports",
        ("college_brand",),
        9,
        15,
        4,
        "白云校区篮球场",
        200,
        "1",
        "计算机与信息工程学院“一院一品”品牌赛事，各班组队参赛，设男子组和女子组，"
        "赛程两周，决赛邀请全校同学观赛。",
    ),
    Plan(
        "学雷锋志愿服务日",
        ("society", "青年志愿者协会"),
        "volunteer",
        (),
        -9,
        9,
        4,
        "校园周边社区",
        100,
        "4",
        "走进社区开展义务维修、健康宣传和关爱老人活动，服务时长计入第二课堂成绩单。",
    ),
    Plan(
        "创新创业训练营",
        ("society", "大学生科技创新协会"),
        "innovation",
        ("school_brand",),
        14,
        14,
        3,
        "图书馆三楼创客空间",
        80,
        "2",
        "从选题、组队到路演的三次工作坊，为“挑战杯”和创新创业大赛储备项目。",
        unit="points",
    ),
    Plan(
        "“青年大学习”主题团日",
        ("school", "宣传部"),
        "moral",
        (),
        5,
        19,
        2,
        "第一教学楼报告厅",
        150,
        "1",
        "围绕“青年大学习”最新一期开展主题学习和分享交流，各团支部派代表参加。",
    ),
    Plan(
        "劳动周·校园美化行动",
        (IT_COLLEGE, "学习部"),
        "labour",
        (),
        3,
        8,
        3,
        "白云校区",
        60,
        "3",
        "以班级为单位认领校园责任区，开展绿化养护和公共区域清洁，体验劳动、美化校园。",
    ),
    Plan(
        "校园半程马拉松",
        ("school", "体育部"),
        "culture_sports",
        ("school_brand",),
        26,
        7,
        5,
        "天河校区环校路线",
        800,
        "2",
        "环校园半程马拉松与5公里健康跑，设医疗保障点和志愿者补给站。",
        outcome="filed",
    ),
    Plan(
        "学业规划讲座",
        ("school", "学习权益部"),
        "innovation",
        (),
        18,
        19,
        2,
        "第二教学楼阶梯教室",
        120,
        "1",
        "邀请企业导师讲解专业发展路径和实习求职准备。",
        external="某教育科技公司（讲师与奖品赞助）",
        outcome="returned",
        comment="外部赞助须附合作协议，并说明是否涉及商业推广；请补充后重新报备。",
    ),
]

# Ratings of the past activities: (activity, [(score, comment)]).
RATINGS = {
    ARTS_SHOW: [
        (5, "节目很精彩，新生的情景剧特别感人。"),
        (5, "灯光和音响很专业，座位安排有序。"),
        (4, "整体很好，入场排队时间有点长。"),
        (5, ""),
        (4, "希望明年能增加更多学院的节目。"),
        (3, "后排看不太清楚舞台。"),
    ],
    "学雷锋志愿服务日": [
        (5, "第一次参加社区服务，很有意义。"),
        (4, "组织得很好，就是分组通知晚了一点。"),
        (5, ""),
    ],
}


@dataclass(frozen=True)
class ProposalPlan:
    title: str
    body: tuple[str, str]
    goal: str
    audience: str
    budget: str
    organisers: str
    supports: int
    outcome: str  # collecting | on_list | adopted
    reason: str = ""
    activity: str = ""


PROPOSALS = [
    ProposalPlan(
        "周末草地音乐节",
        ("school", "文艺部"),
        "在图书馆前草坪办一场周末音乐节，给校园乐队和个人歌手一个轻松的舞台。",
        "全校同学",
        "3000",
        "大学生艺术团 吉他社同学",
        24,
        "on_list",
    ),
    ProposalPlan(
        "IT杯增设女子组",
        (IT_COLLEGE, "文体部"),
        "IT杯篮球赛一直只有男子组，希望增设女子组，让更多女生参与篮球运动。",
        "计算机与信息工程学院同学",
        "500",
        "软件、网络专业女生篮球爱好者",
        21,
        "adopted",
        reason="采纳。本届IT杯起设女子组，欢迎各班女生组队报名。",
        activity=IT_CUP,
    ),
    ProposalPlan(
        "二手教材交换市集",
        ("school", "学习权益部"),
        "学期末在食堂门口办二手教材交换市集，减轻同学购书负担，也让教材循环使用。",
        "全校同学",
        "200",
        "学习权益部干事与志愿者",
        8,
        "collecting",
    ),
]


def _body(school: School, organiser: tuple[str, str]) -> Department:
    scope, name = organiser
    bodies = Department.objects.select_related("union__school", "union__college")
    if scope == "school":
        return bodies.get(union__school=school, union__college__isnull=True, name=name)
    return bodies.get(union__school=school, union__college__name=scope, name=name)


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _at(base: dt.date, day: int, hour: int) -> dt.datetime:
    moment = dt.datetime.combine(base + dt.timedelta(days=day), dt.time(hour))
    return timezone.make_aware(moment)


def build_activities_demo(school: School) -> dict[str, int]:
    """Build the demo school's activities, filings, proposals and ratings. Returns counts."""
    league = _user("tuanwei")
    minister = _user("buzhang")
    today = timezone.localdate()
    students = list(
        Student.objects.filter(school=school).select_related("school").order_by("student_no")
    )
    plain = Student.objects.filter(school=school, user__username="xuesheng").first()
    with transaction.atomic():
        made: dict[str, Activity] = {}
        for plan in PLANS:
            made[plan.title] = _activity(school, plan, today, league, minister)
        _ratings(school, made, students)
        count = _proposals(school, made, students, plain, league, today)
    return {"activities": len(made), "proposals": count}


def _activity(school, plan: Plan, today, league, minister) -> Activity:
    scope, name = plan.organiser
    body = society = None
    if scope == "society":
        society = Society.objects.select_related("school").get(school=school, name=name)
    else:
        body = _body(school, plan.organiser)
    # The minister of 学习权益部 has a login: their activity is theirs, with its notifications.
    actor = (
        minister if body is not None and body.name == "学习权益部" and scope == "school" else None
    )
    starts = _at(today, plan.day, plan.hour)
    activity = services.activity_create(
        actor=actor,
        school=school,
        organiser_body=body,
        organiser_society=society,
        title=plan.title,
        description=plan.description,
        area=plan.area,
        brands=list(plan.brands),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=plan.hours),
        place=plan.place,
        capacity=plan.capacity,
        audience_colleges=[],
        audience_grades=[],
        credit=plan.credit,
        credit_unit=plan.unit,
        external_contact=plan.external,
    )
    activity = services.activity_submit(actor=actor, activity=activity)
    if plan.outcome == "approved":
        services.activity_decide(
            actor=league, activity=activity, decision="approve", comment=plan.comment
        )
    elif plan.outcome == "returned":
        services.activity_decide(
            actor=league, activity=activity, decision="return", comment=plan.comment
        )
    activity.refresh_from_db()
    return activity


def _ratings(school, made: dict[str, Activity], students: list[Student]) -> None:
    offset = 0
    for title, rows in RATINGS.items():
        activity = made[title]
        for score, comment in rows:
            student = students[offset]
            offset += 1
            Attendance.objects.create(
                school=school,
                activity=activity,
                student=student,
                checked_in_at=activity.starts_at + dt.timedelta(minutes=offset % 20),
                check_in_method=CheckMethod.QR,
                checked_out_at=activity.ends_at,
                check_out_method=CheckMethod.QR,
                hours=(activity.ends_at - activity.starts_at).seconds // 3600,
            )
            proposals.rating_add(
                actor=None, activity=activity, score=score, comment=comment, student=student
            )


def _proposals(school, made, students, plain, league, today) -> int:
    # Proposers and supporters are taken from the back of the roster, so they differ from the
    # raters; the demo's plain student (xuesheng) proposes the first one.
    pool = list(reversed(students))
    for number, plan in enumerate(PROPOSALS):
        proposer = plain if (number == 0 and plain is not None) else pool.pop()
        proposal = proposals.proposal_create(
            actor=None,
            student=proposer,
            body=_body(school, plan.body),
            title=plan.title,
            goal=plan.goal,
            audience=plan.audience,
            budget=plan.budget,
            organisers=plan.organisers,
            support_until=_at(today, 10 + number * 3, 22),
        )
        for _ in range(plan.supports):
            supporter = pool.pop()
            if supporter.pk == proposer.pk:
                supporter = pool.pop()
            proposals.proposal_support(actor=None, proposal=proposal, student=supporter)
        if plan.outcome == "adopted":
            proposal = Proposal.objects.select_related("school", "body__union").get(pk=proposal.pk)
            proposals.proposal_decide(
                actor=league,
                proposal=proposal,
                adopt=True,
                reason=plan.reason,
                activity=made.get(plan.activity),
            )
    return len(PROPOSALS)
