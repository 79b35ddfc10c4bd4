"""The demo school's notices, class roles and joint meeting: forwarded by some colleges and not
others, a task one college forwarded late, one class that breaks the class–League rules."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tuanxue.core.models import School
from tuanxue.demo.org import build_demo
from tuanxue.linkage import selectors
from tuanxue.linkage.access import term_on
from tuanxue.linkage.classes import school_class_checks
from tuanxue.linkage.models import ClassCopy, JointMeeting, Notice
from tuanxue.org.models import Role, RoleGrant

pytestmark = pytest.mark.django_db


def test_demo_linkage(db):
    build_demo()
    school = School.objects.get(code="gdgm")
    boards = {n.title: selectors.dashboard(n) for n in Notice.objects.filter(school=school)}
    colleges = school.colleges.count()
    notice = boards["关于开展“学习二十大 永远跟党走”主题团日活动的通知"]
    assert (notice.colleges.forwarded, len(notice.colleges.not_forwarded)) == (colleges - 1, 1)
    late = boards["报送团支部“推优入党”工作台账"]
    assert (late.colleges.forwarded, late.colleges.forwarded_late) == (2, 1)
    assert (late.colleges.done, late.colleges.done_late) == (2, 1)
    assert late.classes.done == 3 and late.classes.done_late == 0
    # the demo League secretary's class has the open task to read and report
    grant = RoleGrant.objects.get(user__username="tuanzhishu", role=Role.LEAGUE_BRANCH)
    open_task = Notice.objects.get(title="报送本学期班级学生代表推荐名单")
    copy = ClassCopy.objects.get(notice=open_task, class_group=grant.class_group)
    assert copy.done_at is None and open_task.deadline > timezone.now()
    checks = school_class_checks(school, term_on(school, timezone.localdate()))
    assert len([c for c in checks if not c.ok]) == 1
    assert JointMeeting.objects.filter(class_group=grant.class_group).count() == 1
