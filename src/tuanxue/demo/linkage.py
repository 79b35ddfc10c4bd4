"""Demo: two notices and a task cascading through the colleges (some forwarded, one late, some
not), class roles for the latest semester with one class that breaks the rules, and a joint
class–League meeting in the demo League secretary's class."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuanxue.linkage import classes, services
from tuanxue.linkage.access import term_on
from tuanxue.linkage.models import ClassCopy, ClassRoleKind, CollegeCopy, NoticeKind, Sender
from tuanxue.org.models import ClassGroup, College, LeagueBranch, Role, RoleGrant, Student


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def build(school) -> None:
    now = timezone.now()
    colleges = list(College.objects.filter(school=school).order_by("order"))
    league = _user("tuanwei")
    secretary = _user("tuanzhishu")
    grant = RoleGrant.objects.filter(user=secretary, role=Role.LEAGUE_BRANCH).first()
    own_class = grant.class_group if grant else None
    first = colleges[0]
    _roles(school, own_class)

    # A notice sent a week ago: every college but the last has forwarded it.
    notice = services.notice_send(
        actor=None,
        school=school,
        kind=NoticeKind.NOTICE,
        sender=Sender.LEAGUE,
        title="关于开展“学习二十大 永远跟党走”主题团日活动的通知",
        body="各学院团委、学生会：请于本月内组织各团支部开展主题团日活动，并做好记录。",
        now=now - dt.timedelta(days=7),
    )
    for college in colleges[:-1]:
        copy = CollegeCopy.objects.get(notice=notice, college=college)
        services.college_forward(
            actor=None,
            copy=copy,
            addition="请各团支部书记在班团联席会议上传达。",
            now=now - dt.timedelta(days=6),
        )
    # A task due in two weeks, forwarded by one college only (the demo League secretary's):
    # their class has it to read and report.
    task = services.notice_send(
        actor=None,
        school=school,
        kind=NoticeKind.TASK,
        sender=Sender.UNION,
        title="报送本学期班级学生代表推荐名单",
        body="请各学院汇总各班推荐的学生代表名单，填写推荐表后报送校学生会秘书部。",
        deadline=now + dt.timedelta(days=14),
        now=now - dt.timedelta(days=2),
    )
    services.college_forward(
        actor=None,
        copy=CollegeCopy.objects.get(
            notice=task, college=own_class.college if own_class else first
        ),
        addition="各班请于截止前两天报学院团委汇总。",
        now=now - dt.timedelta(days=1),
    )
    # A task already past its deadline: the second college forwarded it late, two colleges
    # reported done (one late), the rest have not.
    past = services.notice_send(
        actor=league,
        school=school,
        kind=NoticeKind.TASK,
        sender=Sender.LEAGUE,
        title="报送团支部“推优入党”工作台账",
        body="请各学院团委整理并报送本学期各团支部推优工作台账（PDF 或 Excel）。",
        deadline=now + dt.timedelta(days=1),
        now=now - dt.timedelta(days=20),
    )
    deadline = now - dt.timedelta(days=5)
    type(past).objects.filter(pk=past.pk).update(deadline=deadline)
    past.refresh_from_db()
    copies = {c.college_id: c for c in CollegeCopy.objects.filter(notice=past)}
    services.college_forward(actor=None, copy=copies[first.pk], now=now - dt.timedelta(days=18))
    services.copy_report_done(
        actor=None,
        copy=copies[first.pk],
        report="已汇总全院各团支部台账并报送。",
        now=now - dt.timedelta(days=8),
    )
    if len(colleges) > 1:
        second = copies[colleges[1].pk]
        services.college_forward(actor=None, copy=second, now=now - dt.timedelta(days=3))
        services.copy_report_done(
            actor=None, copy=second, report="补报台账。", now=now - dt.timedelta(days=2)
        )
    for k in ClassCopy.objects.filter(notice=past, class_group__college=first)[:3]:
        services.copy_report_done(
            actor=None, copy=k, report="台账已交学院团委。", now=now - dt.timedelta(days=10)
        )


def _roles(school, own_class) -> None:
    """Roles for every class in the latest semester from its League branch: the deputy secretary
    is the monitor, and a classmate the innovation member; one class's monitor is someone else."""
    term = term_on(school, timezone.localdate())
    if term is None:
        return
    branches = {
        b.class_group_id: b
        for b in LeagueBranch.objects.filter(class_group__school=school).select_related(
            "secretary", "deputy_secretary"
        )
    }
    groups = list(ClassGroup.objects.filter(school=school).order_by("college__order", "name"))
    breaching = next((g for g in groups if own_class is None or g.pk != own_class.pk), None)
    for group in groups:
        branch = branches.get(group.pk)
        if branch is None or branch.secretary is None or branch.deputy_secretary is None:
            continue
        taken = {branch.secretary_id, branch.deputy_secretary_id}
        others = list(
            Student.objects.filter(class_group=group, user__isnull=True)
            .exclude(pk__in=taken)
            .order_by("student_no")[:2]
        )
        monitor = branch.deputy_secretary
        if group == breaching and others:
            monitor = others[-1]
        plan = [
            (ClassRoleKind.SECRETARY, branch.secretary),
            (ClassRoleKind.DEPUTY, branch.deputy_secretary),
            (ClassRoleKind.MONITOR, monitor),
        ]
        if others and group != breaching:
            plan.append((ClassRoleKind.INNOVATION, others[0]))
        for role, student in plan:
            classes.class_role_set(
                actor=None, class_group=group, semester=term, role=role, student=student
            )
    if own_class is not None:
        classes.joint_meeting_record(
            actor=None,
            class_group=own_class,
            held_on=term.start + dt.timedelta(days=20),
            attendees="班长、团支部书记、组织委员、宣传委员、创新创业委员及全体班委",
            decisions="1. 推荐两名学生代表候选人；2. 本月主题团日由宣传委员组织；"
            "3. 创新创业委员牵头组队参加“挑战杯”校赛。",
        )
