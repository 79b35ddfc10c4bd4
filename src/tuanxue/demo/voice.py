"""The demo school's student voice: the school's answering departments with staff accounts, the
2020 National Day calendar, a reception day on 2020-09-16 and demands in every state across the
departments — confidential ones, merged duplicates, one overdue and escalated, rated answers.

Everything goes through the services; the demands' times are then set back to September and
October 2020, where the story takes place. Nothing here touches the union's posts, students'
records or the congress, so the self-assessment's figures are those of the seed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from tuanxue.core.models import School
from tuanxue.demo import org_data as demo_data
from tuanxue.org.models import StaffPerson, Student
from tuanxue.voice import moderation, services
from tuanxue.voice.deadlines.tick import voice_tick
from tuanxue.voice.deadlines.workdays import add_working_days
from tuanxue.voice.models import (
    Category,
    Closure,
    DayKind,
    Demand,
    DemandStep,
    DepartmentKind,
    StepKind,
)
from tuanxue.voice.setup import services as setup

SHANGHAI = ZoneInfo("Asia/Shanghai")

# (name, kind, existing login or (new username, staff name, position))
DEPARTMENTS = [
    ("教务处", DepartmentKind.ANSWERING, "jiaowu"),
    ("后勤处", DepartmentKind.ANSWERING, ("houqin", "何志强", "后勤服务中心主任")),
    ("保卫处", DepartmentKind.ANSWERING, ("baowei", "邓卫东", "综合治理科科长")),
    ("图书馆", DepartmentKind.ANSWERING, ("tushuguan", "苏文静", "读者服务部主任")),
    ("财务处", DepartmentKind.ANSWERING, ("caiwu", "冯淑仪", "收费管理科科长")),
    ("学生工作部", DepartmentKind.STUDENT_AFFAIRS, "xuegong"),
    ("分管校领导", DepartmentKind.LEADER, "dangwei"),
]
CATEGORY_DEPARTMENTS = {
    "academic": "教务处",
    "health": "学生工作部",
    "social": "学生工作部",
    "rights": "后勤处",
}
HOLIDAYS_2020 = [dt.date(2020, 10, d) for d in range(1, 9)]
MAKEUP_DAYS_2020 = [dt.date(2020, 9, 27), dt.date(2020, 10, 10)]


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2020, month, day, hour, minute, tzinfo=SHANGHAI)


def _staff_accounts(school: School) -> dict:
    """Departments, each with a staff account (the new ones share the demo password)."""
    User = get_user_model()
    password = make_password(demo_data.PASSWORD)
    departments = {}
    for order, (name, kind, who) in enumerate(DEPARTMENTS, start=1):
        dept = setup.department_create(actor=None, school=school, name=name, kind=kind, order=order)
        if isinstance(who, str):
            staff = StaffPerson.objects.get(school=school, user__username=who)
        else:
            username, person, position = who
            user = User.objects.create(username=username, password=password, first_name=person)
            staff = StaffPerson.objects.create(
                school=school,
                staff_no=f"V{order:04d}",
                name=person,
                unit=name,
                position=position,
                user=user,
            )
        setup.department_staff_add(actor=None, department=dept, staff=staff)
        departments[name] = dept
    return departments


def _backdate(demand: Demand, created: dt.datetime, *, answered: dt.datetime | None = None):
    """Move a demand (and its history) to when it happened in the story."""
    demand.refresh_from_db()
    due = add_working_days(demand.school, created.date(), demand.category.deadline_days)
    fields = {"created_at": created, "due_date": due}
    if demand.first_response_at is not None and answered is not None:
        fields |= {
            "first_response_at": answered,
            "answered_at": answered,
            "on_time": answered.date() <= due,
        }
        if demand.closed_at is not None:
            fields["closed_at"] = answered + dt.timedelta(days=1, hours=3)
    Demand.objects.filter(pk=demand.pk).update(**fields)
    steps = list(demand.steps.order_by("at", "pk"))
    for number, step in enumerate(steps):
        when = created + dt.timedelta(minutes=number)
        if step.kind == StepKind.ANSWERED and answered is not None:
            when = answered
        elif step.kind in (StepKind.RATED, StepKind.CLOSED) and answered is not None:
            when = answered + dt.timedelta(days=1, hours=3)
        elif step.kind == StepKind.FORWARDED:
            when = created + dt.timedelta(hours=20)
        DemandStep.objects.filter(pk=step.pk).update(at=when)
    demand.refresh_from_db()
    return demand


def build_demo_step(school: School) -> None:
    setup.voice_setup(actor=None, school=school)
    depts = _staff_accounts(school)
    for code, name in CATEGORY_DEPARTMENTS.items():
        category = Category.objects.get(school=school, code=code)
        setup.category_update(
            actor=None,
            category=category,
            deadline_days=category.deadline_days,
            default_department=depts[name],
        )
    setup.category_create(
        actor=None,
        school=school,
        code="safety",
        name="校园安全",
        deadline_days=3,
        default_department=depts["保卫处"],
    )
    for day in HOLIDAYS_2020:
        setup.calendar_day_set(
            actor=None, school=school, date=day, kind=DayKind.HOLIDAY, name="国庆节、中秋节"
        )
    for day in MAKEUP_DAYS_2020:
        setup.calendar_day_set(
            actor=None, school=school, date=day, kind=DayKind.WORKDAY, name="调休上班"
        )
    User = get_user_model()
    for username in ("tuanwei", "mishuzhang"):
        setup.officer_appoint(actor=None, school=school, user=User.objects.get(username=username))

    cats = {c.code: c for c in Category.objects.filter(school=school)}
    desk_user = User.objects.get(username="ganshi")
    on_duty = list(
        Student.objects.filter(
            school=school, memberships__end__isnull=True, memberships__union__college__isnull=True
        )
        .filter(memberships__body__name="学习权益部")
        .order_by("student_no")[:4]
    )
    reception = setup.reception_day_create(
        actor=None,
        school=school,
        date=dt.date(2020, 9, 16),
        starts=dt.time(14, 30),
        ends=dt.time(17, 30),
        place="第一食堂门前广场",
        campus="天河校区",
        theme="开学季学生接待日：学业、生活、权益，有事来说",
        members=on_duty,
        teachers=list(
            StaffPerson.objects.filter(school=school, user__username__in=["tuanwei", "xuegong"])
        ),
    )
    me = Student.objects.get(school=school, user__username="xuesheng")
    others = list(
        Student.objects.filter(school=school, user__isnull=True, memberships__isnull=True)
        .order_by("student_no")
        .distinct()[::97][:12]
    )

    def online(student, code, title, text, created, *, confidential=False):
        demand = services.demand_submit(
            actor=None,
            school=school,
            student=student,
            category=cats[code],
            title=title,
            text=text,
            confidential=confidential,
        )
        return _backdate(demand, created)

    def reply(demand, text, closure, answered, *, reason="", rating=None):
        services.demand_answer(
            actor=None, demand=demand, answer=text, closure=closure, reason=reason
        )
        if rating is not None:
            services.demand_rate(actor=None, demand=demand, rating=rating)
        return _backdate(demand, demand.created_at, answered=answered)

    # Closed and rated, one per department.
    library = online(
        me,
        "academic",
        "考试周希望延长图书馆开放时间",
        "期末考试周图书馆晚上十点闭馆，自习座位不够，希望考试周延长到晚上十一点。",
        at(9, 7, 9, 12),
    )
    library = services.demand_forward(
        actor=None, demand=library, department=depts["图书馆"], reason="开放时间由图书馆决定"
    )
    _backdate(library, at(9, 7, 9, 12))
    reply(
        library,
        "考试周（第17、18周）图书馆二、三楼自习区开放至23:00，并增加200个临时座位。",
        Closure.RESOLVED,
        at(9, 10, 16),
        rating=5,
    )
    hot_water = online(
        others[0],
        "rights",
        "白云校区6栋宿舍热水经常中断",
        "最近两周晚上九点以后热水经常中断，洗澡很不方便，希望后勤尽快检修热水系统。",
        at(9, 8, 21, 5),
    )
    for number, student in enumerate(others[1:3], start=1):
        dup = online(
            student,
            "rights",
            "6栋晚上没有热水",
            "6栋晚上经常没有热水，已经持续一段时间了，请学校关注。",
            at(9, 9, 20, 10 * number),
        )
        services.demand_merge(actor=None, duplicate=dup, into=hot_water, reason="同一问题")
    reply(
        hot_water,
        "经检修，6栋热水循环泵老化，已于9月11日更换，晚间供水恢复正常。",
        Closure.RESOLVED,
        at(9, 11, 17),
        rating=4,
    )
    counselling = online(
        others[3],
        "health",
        "心理咨询预约排队太久",
        "心理咨询中心线上预约要排两周以上，希望增加咨询时段或老师。",
        at(9, 9, 11, 40),
        confidential=True,
    )
    reply(
        counselling,
        "心理健康教育中心自9月21日起增加周二、周四晚间咨询时段，并开通紧急求助绿色通道。",
        Closure.RESOLVED,
        at(9, 14, 10),
        rating=4,
    )
    scholarship = online(
        others[4],
        "rights",
        "希望国家助学金提前到九月初发放",
        "很多同学开学要交住宿费和教材费，希望助学金能在九月初发到卡上。",
        at(9, 10, 8, 30),
    )
    services.demand_forward(
        actor=None, demand=scholarship, department=depts["财务处"], reason="助学金发放由财务处负责"
    )
    reply(
        scholarship,
        "国家助学金需待省级资金下达并完成学生资格审核后发放，九月初无法发放。",
        Closure.NOT_FEASIBLE,
        at(9, 15, 15),
        reason="资金下达时间由上级决定，学校无法提前",
        rating=2,
    )
    # Answered, waiting for the student's rating (the demo student can rate it).
    gate = online(
        me,
        "safety",
        "东门晚上电动车太多不安全",
        "晚上九点到十点东门外电动车和外卖车很多，行人过马路很危险，建议增加值守。",
        at(9, 21, 22, 0),
    )
    reply(
        gate,
        "已协调交警部门在东门增设减速带，晚间高峰时段安排保安值守引导。",
        Closure.EXPLAINED,
        at(9, 23, 16),
    )
    # Reopened once, answered again, closed with a rating.
    wifi = online(
        others[5],
        "academic",
        "机房电脑系统太旧影响实训",
        "计算机学院3号机房的电脑还是旧系统，很多实训软件装不上，影响上课。",
        at(9, 14, 10, 20),
    )
    services.demand_answer(
        actor=None,
        demand=wifi,
        answer="已安排网络中心本周内升级3号机房系统。",
        closure=Closure.RESOLVED,
    )
    wifi = services.demand_reopen(actor=None, demand=wifi, reason="升级后实训软件仍然无法安装")
    reply(
        wifi,
        "网络中心已为3号机房安装实训软件授权，9月25日起可正常使用。",
        Closure.RESOLVED,
        at(9, 25, 9),
        rating=3,
    )
    Demand.objects.filter(pk=wifi.pk).update(
        first_response_at=at(9, 17, 11), on_time=True, reopened_at=at(9, 18, 9)
    )
    first_answer, _again = wifi.steps.filter(kind=StepKind.ANSWERED).order_by("pk")
    DemandStep.objects.filter(pk=first_answer.pk).update(at=at(9, 17, 11))
    DemandStep.objects.filter(demand=wifi, kind=StepKind.REOPENED).update(at=at(9, 18, 9))
    # At the reception-day desk, 2020-09-16.
    desk_present = services.demand_record(
        actor=desk_user,
        reception_day=reception,
        category=cats["academic"],
        student_no=others[6].student_no,
        title="选修课名额太少抢不到",
        text="公共选修课名额太少，很多同学抢不到想选的课，希望增加名额或开课班级。",
    )
    _backdate(desk_present, at(9, 16, 14, 50))
    reply(
        desk_present,
        "下学期公共选修课将增加12门、名额增加约1500个，并分两轮选课。",
        Closure.RESOLVED,
        at(9, 22, 10),
        rating=4,
    )
    desk_anonymous = services.demand_record(
        actor=desk_user,
        reception_day=reception,
        category=cats["rights"],
        title="食堂部分窗口价格没有公示",
        text="第一食堂二楼部分窗口没有公示菜价，希望统一明码标价。",
    )
    _backdate(desk_anonymous, at(9, 16, 15, 20))
    reply(
        desk_anonymous,
        "已要求第一食堂各窗口于9月25日前统一公示菜品价格，并纳入每月检查。",
        Closure.RESOLVED,
        at(9, 18, 11),
    )
    desk_confidential = services.demand_record(
        actor=desk_user,
        reception_day=reception,
        category=cats["health"],
        student_no=others[7].student_no,
        title="宿舍人际关系困扰",
        text="和宿舍同学关系紧张，影响休息和学习，希望有老师帮忙协调或调换宿舍。",
        confidential=True,
    )
    _backdate(desk_confidential, at(9, 16, 16, 5))
    reply(
        desk_confidential,
        "辅导员已与同学面谈，宿舍调换申请已受理，国庆后可入住新宿舍。",
        Closure.RESOLVED,
        at(9, 21, 15),
        rating=5,
    )
    # Overdue and escalated: submitted on 2020-09-14, due five working days later.
    overdue = online(
        others[8],
        "academic",
        "补考成绩迟迟没有公布",
        "上学期补考已经结束三周，成绩还没有在教务系统公布，影响评优和转专业申请。",
        at(9, 14, 9, 0),
    )
    # Open, within their deadlines (they fall due after National Day).
    online(
        me,
        "social",
        "希望多组织跨学院的交流活动",
        "新生刚入学认识的人很少，希望学生会多组织跨学院的联谊和交流活动。",
        at(9, 29, 19, 30),
    )
    online(
        others[9],
        "health",
        "体测前希望开放田径场夜跑",
        "体测前想多练习长跑，希望晚上开放田径场并开灯到十点。",
        at(9, 30, 12, 0),
        confidential=True,
    )
    noise = online(
        others[10],
        "rights",
        "宿舍楼附近施工噪音太大",
        "清远校区宿舍楼旁工地早上六点就开工，噪音影响休息，希望调整施工时间。",
        at(9, 30, 8, 15),
    )
    del noise
    spam = online(
        others[11],
        "social",
        "低价代写作业代考联系我",
        "专业代写各类作业论文，价格优惠，有意者加微信联系。",
        at(9, 24, 23, 40),
    )
    report = moderation.abuse_report(
        actor=User.objects.get(username="xuegong"), demand=spam, reason="广告和代考信息"
    )
    moderation.abuse_decide(
        actor=User.objects.get(username="tuanwei"),
        report=report,
        uphold=True,
        note="违反诚信考试规定的广告，予以删除",
    )
    # The overdue one escalates to Student Affairs on the morning after its deadline.
    voice_tick(now=at(9, 22, 8, 0), school=school)
    overdue.refresh_from_db()
    Demand.objects.filter(pk=overdue.pk).update(escalated_at=at(9, 22, 8, 0))
    DemandStep.objects.filter(demand=overdue, kind=StepKind.ESCALATED).update(at=at(9, 22, 8, 0))
