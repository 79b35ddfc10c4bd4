"""Two forwarders press "forward" at once, two class readers report the same task done at once,
and one reader marks a copy read twice at once: each acts once. Runs on PostgreSQL
(DATABASE_URL) and on SQLite."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.conftest import SchoolKit
from tests.linkage.conftest import LinkageKit
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.linkage import services
from tuanxue.linkage.models import ClassCopy, CollegeCopy, Receipt
from tuanxue.org import services as org_services
from tuanxue.org.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    lock = threading.Lock()
    done, refused, crashed = [], [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            result = call()
            with lock:
                done.append(result)
        except DomainError as exc:
            with lock:
                refused.append(exc.message)
        except Exception as exc:  # reported below
            with lock:
                crashed.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not crashed, crashed
    return done, refused


def test_simultaneous_forwards_reports_and_reads_act_once():
    lk = LinkageKit(SchoolKit(code="race"))
    second = lk.kit.user("col1b")
    org_services.role_grant_create(
        actor=None, user=second, role=Role.COLLEGE_LEAGUE, school=lk.school, college=lk.college1
    )
    task = services.notice_send(
        actor=lk.league,
        school=lk.school,
        kind="task",
        sender="league",
        title="t",
        body="b",
        deadline=lk.deadline(),
    )
    copy = CollegeCopy.objects.get(notice=task, college=lk.college1)
    done, refused = _at_once(
        [lambda u=u: services.college_forward(actor=u, copy=copy) for u in (lk.col1, second)]
    )
    assert len(done) == 1 and len(refused) == 1
    assert ClassCopy.objects.filter(notice=task).count() == 2
    k1 = ClassCopy.objects.get(notice=task, class_group=lk.class1)
    mate = lk.kit.user("mate")
    org_services.role_grant_create(
        actor=None, user=mate, role=Role.LEAGUE_BRANCH, school=lk.school, class_group=lk.class1
    )
    done, refused = _at_once(
        [
            lambda u=u: services.copy_report_done(actor=u, copy=k1, report="ok")
            for u in (lk.sec1, mate)
        ]
    )
    assert len(done) == 1 and len(refused) == 1
    assert AuditEvent.objects.filter(action="linkage.task.done").count() == 1
    k2 = ClassCopy.objects.get(notice=task, class_group=lk.class2)
    org_services.role_grant_create(
        actor=None, user=lk.sec1, role=Role.LEAGUE_BRANCH, school=lk.school, class_group=lk.class2
    )
    done, _refused = _at_once([lambda: services.copy_read(actor=lk.sec1, copy=k2)] * 2)
    assert sorted(done) == [False, True]
    assert Receipt.objects.filter(class_copy=k2).count() == 1
    assert verify_chain(lk.school) == []
