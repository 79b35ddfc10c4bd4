"""Builders the charter tests share: one place, so no test module imports another."""

import datetime as dt
import io

import docx

from tuanxue.charter import services as charter_services
from tuanxue.charter.rules import SEED_2020
from tuanxue.org import services
from tuanxue.org.models import AcademicRecord, Title

DAY = dt.date(2020, 10, 15)


START = dt.date(2020, 9, 1)


NARRATIVE = {
    "functions": "学生会坚持从学生中来、到学生中去。\n通过“学生接待日”听取同学需求。",
    "governance": "我校学生会每年组织新任学生干部学习自律公约。",
    "conclusion": "改革只有进行时，没有完成时。",
}


def build_school(kit, *, charter=True, narrative=True):
    """A school union of six (two from a college union), a congress, and the seed charter."""
    semester = services.semester_ensure(actor=None, school=kit.school, code="2019-2020-2")

    def good_student(name):
        student = kit.student(name=name, grade=2018)
        AcademicRecord.objects.create(
            school=kit.school,
            student=student,
            semester=semester,
            study_rank=2,
            assessment_rank=3,
            major_size=40,
            failed_courses=0,
        )
        return student

    presidium = kit.school_union.bodies.get(kind="presidium")
    secretariat = kit.department("秘书部", "会务与文书")
    rights = kit.department("学习权益部", "学业服务与权益维护")
    college_dept = services.department_create(
        actor=None, union=kit.college.union, name="学习部", remit="学风建设"
    )
    people = {
        "chair": good_student("执行主席甲"),
        "member": good_student("主席团乙"),
        "minister": good_student("部长丙"),
        "staff": good_student("干事丁"),
        "minister2": good_student("部长戊"),
        "staff2": good_student("干事己"),
    }
    # Two of them served in the college union before.
    for key in ("chair", "minister"):
        services.membership_create(
            actor=None,
            body=college_dept,
            student=people[key],
            title=Title.STAFF,
            start=dt.date(2019, 9, 1),
            end=dt.date(2020, 6, 30),
            end_reason="term_end",
        )
    kit.post(people["chair"], presidium, Title.EXECUTIVE_CHAIR, START)
    kit.post(people["member"], presidium, Title.PRESIDIUM_MEMBER, START)
    kit.post(people["minister"], secretariat, Title.MINISTER, START)
    kit.post(people["staff"], secretariat, Title.STAFF, START)
    kit.post(people["minister2"], rights, Title.MINISTER, START)
    kit.post(people["staff2"], rights, Title.STAFF, START)
    if charter:
        charter_services.charter_adopt(
            actor=None,
            school=kit.school,
            name="测试职业技术学院学生会章程",
            version_label="2020年修改版",
            effective_from=dt.date(2020, 8, 1),
            rules=SEED_2020.to_json(),
            adopted_by="第十四次学生代表大会",
        )
    charter_services.congress_record_add(
        actor=None,
        school=kit.school,
        union=kit.school_union,
        name="第十四次学生代表大会",
        held_on=dt.date(2020, 8, 25),
        delegates=3,
        elected_presidium=True,
    )
    if narrative:
        charter_services.assessment_save(
            actor=None, school=kit.school, year=2020, assessed_on=DAY, narrative=NARRATIVE
        )
    kit.people = people
    return kit


def docx_text(path_or_bytes):
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    document = docx.Document(source)
    return document, "\n".join(p.text for p in document.paragraphs)


def adopt_data(**changes):
    data = {
        "name": "章程",
        "version_label": "2022年修改版",
        "effective_from": "2022-09-01",
        "adopted_by": "第十六次学生代表大会",
        "rotation": "on",
        "political_statuses": ["party", "party_probationary", "league"],
        "academic_period": "last_year",
        "academic_top_share": "30",
        "academic_counts_assessment": "on",
        "first_year_exempt": "on",
        "delegate_ratio": "1",
        "congress_interval_months": "12",
    }
    for level, limits in (("school", SEED_2020.school), ("college", SEED_2020.college)):
        for name, value in limits.__dict__.items():
            data[f"{level}__{name}"] = "" if value is None else str(value)
    data.update(changes)
    return data
