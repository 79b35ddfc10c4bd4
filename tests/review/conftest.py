"""A school union with a presidium and a department, and users for a review panel."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import SchoolKit
from tuanxue.org.models import Role, Title
from tuanxue.review import services
from tuanxue.review.models import PanelKind

HELD_ON = dt.date(2020, 9, 11)


class ReviewKit:
    def __init__(self, kit: SchoolKit):
        self.kit = kit.adopt_seed_charter() if not hasattr(kit, "charter") else kit
        self.school = kit.school
        self.union = kit.school_union
        dept = kit.department("学习权益部", "学习与权益")
        self.dept = dept
        self.chair_user = kit.user("chair")
        self.chair = kit.good_student("主席甲", user=self.chair_user)
        self.chair_post = kit.post(self.chair, kit.presidium, Title.EXECUTIVE_CHAIR)
        self.minister_user = kit.user("minister")
        self.minister = kit.good_student("部长乙", user=self.minister_user)
        self.minister_post = kit.post(self.minister, dept, Title.MINISTER)
        self.staff = kit.good_student("干事丙")
        self.staff_post = kit.post(self.staff, dept, Title.STAFF)
        self.league = kit.user("league", role=Role.SCHOOL_LEAGUE)
        self.affairs = kit.user("affairs", role=Role.STUDENT_AFFAIRS)
        self.reps = [kit.user(f"rep{i}", student=True) for i in range(3)]

    def session(self, **extra):
        return services.session_create(
            actor=self.league,
            union=self.union,
            semester=self.kit.semester,
            held_on=extra.pop("held_on", HELD_ON),
            place="行政楼会议室",
        )

    def good_panel(self, reps=None):
        reps = self.reps if reps is None else reps
        return [
            *[(u, PanelKind.STUDENT) for u in reps],
            (self.affairs, PanelKind.STUDENT_AFFAIRS),
            (self.league, PanelKind.LEAGUE),
        ]

    def opened(self, reps=None):
        session = self.session()
        services.panel_set(actor=self.league, session=session, members=self.good_panel(reps))
        return services.session_open(actor=self.league, session=session)


@pytest.fixture
def rk(chartered) -> ReviewKit:
    return ReviewKit(chartered)


def scores(p, m, s, w, d) -> dict:
    return {"political": p, "moral": m, "study": s, "work": w, "discipline": d}
