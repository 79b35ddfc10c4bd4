import datetime as dt

import pytest

from tuanxue.charter import services as charter_services
from tuanxue.charter.rules import SEED_2020
from tuanxue.org import services
from tuanxue.org.models import AcademicRecord


@pytest.fixture
def chartered(kit):
    """The kit school with the seed charter in force from 2020-08-01 and a finished semester."""
    kit.semester = services.semester_ensure(actor=None, school=kit.school, code="2019-2020-2")
    kit.charter = charter_services.charter_adopt(
        actor=None,
        school=kit.school,
        name="测试学院学生会章程",
        version_label="2020年修改版",
        effective_from=dt.date(2020, 8, 1),
        rules=SEED_2020.to_json(),
        adopted_by="第十四次学生代表大会",
    )
    kit.presidium = kit.school_union.bodies.get(kind="presidium")

    def good_student(name=None, *, study=1, assessment=1, size=40, failed=0, **extra):
        student = kit.student(name=name, grade=2018, **extra)
        AcademicRecord.objects.create(
            school=kit.school,
            student=student,
            semester=kit.semester,
            study_rank=study,
            assessment_rank=assessment,
            major_size=size,
            failed_courses=failed,
        )
        return student

    kit.good_student = good_student
    return kit
