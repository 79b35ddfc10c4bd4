import datetime as dt

import pytest

from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role, Student, Title


class People:
    def __init__(self, kit):
        self.kit = kit
        self.league = kit.user(role=Role.SCHOOL_LEAGUE)
        self.affairs = kit.user(role=Role.STUDENT_AFFAIRS)
        self.student = kit.user(student=True)
        self.chair = kit.user(student=True)
        presidium = kit.school_union.bodies.get(kind="presidium")
        kit.post(
            Student.objects.get(user=self.chair),
            presidium,
            Title.PRESIDIUM_MEMBER,
            start=dt.date(2020, 9, 1),
        )


@pytest.fixture
def people(kit) -> People:
    return People(kit)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))
