"""Two more demo schools beside gdgm, small (about 500 students each) so the demo stays fast:

- ``lnqg`` 岭南轻工职业学院 passes the self-assessment narrowly: every figure sits exactly at its
  charter limit (staff, presidium, departments, heads, the college unions' minimum), one staff
  member is exactly at the top-30% line, the congress was held exactly twelve months ago with
  exactly the delegates the colleges' quotas add up to.
- ``ybgs`` 粤北工商职业学院 has drifted: posts were loaded as they were (``enforce_charter=False``,
  as a legacy import does), so the presidium and a department have more people than its charter
  allows, one staff member is a 群众 and one was appointed with a failed course, and the last
  congress was twenty months ago. ``tuanxue assess`` names each breach.

Each has a League committee login (``lnqg-tuanwei`` and ``ybgs-tuanwei``, the demo password).
Everything goes through the services (charter adoption, posts, the congress record, guidance,
documents); students and records are bulk-created with one audit event, like the seed demo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tuanxue.charter import services as charter_services
from tuanxue.charter.academic import is_first_year, places_within
from tuanxue.charter.assessment import delegate_quota
from tuanxue.charter.checklist import load_checklist
from tuanxue.charter.models import ChecklistItem, ChecklistVersion
from tuanxue.charter.rules import SEED_2020, CharterRules
from tuanxue.core.audit import audit_record
from tuanxue.core.models import Semester
from tuanxue.demo import org_data as data
from tuanxue.demo.living.dates import current_first_year
from tuanxue.demo.living.history import ranked_records
from tuanxue.demo.living.rounds import record_finished_round
from tuanxue.demo.org import remove_demo_school
from tuanxue.demo.people import person_name, phone_number
from tuanxue.org import services
from tuanxue.org.models import (
    HEAD_TITLES,
    AcademicRecord,
    Gender,
    Major,
    Membership,
    PoliticalStatus,
    Role,
    StaffPerson,
    Student,
    Title,
    Union,
)
from tuanxue.oversight import services as oversight
from tuanxue.oversight.models import AssignmentKind, HearingTopic
from tuanxue.selection.chains import chains_ensure

# The charter of both small schools: tighter than the national standard, as a small school may.
SMALL_SCHOOL = {
    "staff_min": None,
    "staff_max": 18,
    "presidium_max": 3,
    "departments_max": 3,
    "heads_min": None,
    "heads_max": 2,
    "dept_staff_max": 3,
}
SMALL_COLLEGE = {
    "staff_min": 6,
    "staff_max": 10,
    "presidium_max": 2,
    "departments_max": 2,
    "heads_min": 1,
    "heads_max": 2,
    "dept_staff_max": 2,
}
SCHOOL_DEPARTMENTS = [
    ("秘书部", "负责会务组织、文书档案和重要事项报备，登记转办同学的意见建议。"),
    ("学习权益部", "开展学风建设和朋辈帮扶，收集同学诉求并跟进答复。"),
    ("文体部", "组织校园文化、体育活动，联系服务文体类社团。"),
]
COLLEGE_DEPARTMENTS = [
    ("学习部", "组织本院学风建设和专业技能竞赛。"),
    ("文体部", "组织本院文艺、体育活动。"),
]
# The school union exactly at the limits: 3 presidium, 3 departments of 2 heads and 3 staff.
FULL_SCHOOL_POSTS = [("主席团", Title.PRESIDIUM_MEMBER)] * 3 + [
    (name, title)
    for name, _remit in SCHOOL_DEPARTMENTS
    for title in [Title.MINISTER, Title.VICE_MINISTER] + [Title.STAFF] * 3
]
# The college unions exactly at the minimum: 2 presidium, 2 departments of 1 head and 1 staff.
COLLEGE_POSTS = [("主席团", Title.PRESIDIUM_MEMBER)] * 2 + [
    (name, title) for name, _remit in COLLEGE_DEPARTMENTS for title in [Title.MINISTER, Title.STAFF]
]


@dataclass
class Spec:
    code: str
    name: str
    colleges: list[tuple[str, list[tuple[str, str]]]]
    congress_months_ago: int
    school_posts: list[tuple[str, str]]
    drift: list[str] = field(default_factory=list)
    campus: str = ""
    grades: int = 3

    @property
    def login(self) -> str:
        return f"{self.code}-tuanwei"

    @property
    def password(self) -> str:
        return data.PASSWORD


NARROW = Spec(
    code="lnqg",
    name="岭南轻工职业学院",
    colleges=[
        ("轻化工程学院", [("食品检验检测技术", "食检"), ("化妆品技术", "化妆品")]),
        ("智能制造学院", [("模具设计与制造", "模具"), ("工业机器人技术", "机器人")]),
    ],
    congress_months_ago=12,
    school_posts=FULL_SCHOOL_POSTS,
    campus="佛山校区",
)
DRIFTED = Spec(
    code="ybgs",
    name="粤北工商职业学院",
    colleges=[
        ("商贸学院", [("电子商务", "电商"), ("现代物流管理", "物流")]),
        ("信息工程学院", [("软件技术", "软件"), ("计算机网络技术", "网络")]),
    ],
    congress_months_ago=20,
    # One presidium member, one vice-minister and one staff member over the limits.
    school_posts=[
        *FULL_SCHOOL_POSTS[:3],
        ("主席团", Title.PRESIDIUM_MEMBER),
        *FULL_SCHOOL_POSTS[3:],
        ("秘书部", Title.VICE_MINISTER),
    ],
    drift=["masses", "failed_course"],
    campus="韶关校区",
    grades=4,
)
SPECS = [NARROW, DRIFTED]


@dataclass
class BuiltSchool:
    code: str
    name: str
    login: str
    password: str
    students: int


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _rules() -> dict:
    rules = SEED_2020.to_json()
    rules["school"] = dict(SMALL_SCHOOL)
    rules["college"] = dict(SMALL_COLLEGE)
    CharterRules.from_json(rules)  # valid
    return rules


def build_school(spec: Spec, today: dt.date) -> BuiltSchool:
    rng = random.Random(spec.code)
    remove_demo_school(spec.code)
    User = get_user_model()
    school = services.school_add(actor=None, code=spec.code, name=spec.name)
    last = current_first_year(today)
    for first in range(last - 3, last + 1):
        for number in (1, 2):
            services.semester_ensure(
                actor=None, school=school, code=f"{first}-{first + 1}-{number}"
            )
    held = months_before(today, spec.congress_months_ago)
    record_semester = Semester.objects.filter(school=school, end__lt=held).order_by("-end").first()
    enrolled_by = record_semester.academic_year.start.year  # staff entered by this year

    # People: the League committee's two teachers, with the login.
    password = make_password(data.PASSWORD)
    user = User.objects.create(username=spec.login, password=password, first_name="校团委老师")
    advisor = StaffPerson.objects.create(
        school=school,
        staff_no="T0001",
        name=person_name(rng, male=True),
        unit="校团委",
        position="指导老师（团委副书记）",
        user=user,
    )
    user.first_name = advisor.name
    user.save(update_fields=["first_name"])
    secretary_general = StaffPerson.objects.create(
        school=school,
        staff_no="T0002",
        name=person_name(rng, male=False),
        unit="校团委",
        position="秘书长老师",
    )
    services.role_grant_create(actor=None, user=user, role=Role.SCHOOL_LEAGUE, school=school)

    # Colleges, majors, classes, students: three grades, one class per major and grade.
    colleges = []
    students: list[Student] = []
    for order, (college_name, majors) in enumerate(spec.colleges, start=1):
        college = services.college_create(actor=user, school=school, name=college_name, order=order)
        colleges.append(college)
        for major_no, (major_name, short) in enumerate(majors, start=1):
            major = Major.objects.create(school=school, college=college, name=major_name)
            for grade in range(last + 1 - spec.grades, last + 1):
                group = services.class_group_create(
                    actor=user,
                    school=school,
                    college=college,
                    major=major,
                    name=f"{short}{grade % 100:02d}01",
                    grade=grade,
                )
                for seat in range(1, rng.randint(40, 48) + 1):
                    male = rng.random() < 0.5
                    students.append(
                        Student(
                            school=school,
                            student_no=f"{grade}{order:02d}{major_no}1{seat:02d}",
                            name=person_name(rng, male=male),
                            gender=Gender.MALE if male else Gender.FEMALE,
                            college=college,
                            major=major,
                            class_group=group,
                            grade=grade,
                            political_status=rng.choices(
                                [v for v, _w in data.POLITICAL_WEIGHTS],
                                weights=[w for _v, w in data.POLITICAL_WEIGHTS],
                            )[0],
                            campus=spec.campus,
                            phone=phone_number(rng),
                        )
                    )
    Student.objects.bulk_create(students)
    roster = list(Student.objects.filter(school=school).order_by("student_no"))
    audit_record(
        school=school,
        actor=None,
        action="org.demo.built",
        target=school,
        new={"students": len(roster), "users": [spec.login]},
    )

    # Who holds the posts: League members who had entered by the record semester.
    pool = defaultdict(list)
    for s in roster:
        if (
            s.grade <= enrolled_by
            and not is_first_year(s, held)
            and s.political_status == PoliticalStatus.LEAGUE_MEMBER
        ):
            pool[s.college_id].append(s)
    for people in pool.values():
        rng.shuffle(people)
    turn = [0]

    def pick(college_id=None) -> Student:
        keys = sorted(pool) if college_id is None else [college_id]
        key = keys[turn[0] % len(keys)]
        turn[0] += 1
        return pool[key].pop()

    school_union = Union.objects.get(school=school, college__isnull=True)
    school_plan = [(body, title, pick()) for body, title in spec.school_posts]
    college_plan = [
        (college, body, title, pick(college.pk))
        for college in colleges
        for body, title in COLLEGE_POSTS
    ]
    masses = failing = None
    if "masses" in spec.drift:
        masses = next(
            s
            for s in roster
            if s.political_status == PoliticalStatus.MASSES
            and s.grade <= enrolled_by
            and not is_first_year(s, held)
        )
        school_plan.append(("文体部", Title.STAFF, masses))
    if "failed_course" in spec.drift:
        failing = school_plan[-2][2]

    # Records of the semester before the posts start, the post holders in the top 30%.
    holders = [s for _b, _t, s in school_plan] + [s for _c, _b, _t, s in college_plan]
    cohorts = defaultdict(list)
    for s in roster:
        if s.grade <= enrolled_by:
            cohorts[(s.major_id, s.grade)].append(s.pk)
    rows = ranked_records(school, record_semester, cohorts, {s.pk for s in holders}, rng)
    if failing is not None:
        for row in rows:
            if row.student_id == failing.pk:
                row.failed_courses = 1
    if not spec.drift:
        _exactly_at_the_line(rows, school_plan[0][2].pk, cohorts)
    AcademicRecord.objects.bulk_create(rows)
    audit_record(
        school=school,
        actor=None,
        action="org.demo.records",
        target=record_semester,
        new={"semester": record_semester.code, "records": len(rows)},
    )

    # The charter, the union's bodies and posts, the congress, guidance and documents.
    charter_services.charter_adopt(
        actor=user,
        school=school,
        name=f"{spec.name}学生会章程",
        version_label=f"{held.year}年版",
        effective_from=held - dt.timedelta(days=60),
        rules=_rules(),
        adopted_by="学生代表大会",
    )
    legacy = {"enforce_charter": not spec.drift}
    bodies = {}
    for order, (name, remit) in enumerate(SCHOOL_DEPARTMENTS, start=1):
        bodies[(school_union.pk, name)] = services.department_create(
            actor=user, union=school_union, name=name, remit=remit, order=order
        )
    for college in colleges:
        union = Union.objects.get(college=college)
        for order, (name, remit) in enumerate(COLLEGE_DEPARTMENTS, start=1):
            bodies[(union.pk, name)] = services.department_create(
                actor=user, union=union, name=name, remit=remit, order=order
            )
    presidiums = {u.pk: u.bodies.get(kind="presidium") for u in Union.objects.filter(school=school)}

    def body_of(union, name):
        return presidiums[union.pk] if name == "主席团" else bodies[(union.pk, name)]

    for body_name, title, student in school_plan:
        services.membership_create(
            actor=user,
            body=body_of(school_union, body_name),
            student=student,
            title=title,
            start=held,
            source="demo",
            **legacy,
        )
    for college, body_name, title, student in college_plan:
        union = Union.objects.get(college=college)
        services.membership_create(
            actor=user,
            body=body_of(union, body_name),
            student=student,
            title=title,
            start=held,
            source="demo",
            **legacy,
        )
    quota, _rows = delegate_quota(school, CharterRules.from_json(_rules()).ratio)
    charter_services.congress_record_add(
        actor=user,
        school=school,
        union=school_union,
        name="第一次学生代表大会",
        held_on=held,
        delegates=quota,
        elected_presidium=True,
        notes="选举产生主席团，审议通过学生会章程。",
    )
    charter_services.guidance_set(
        actor=user, union=school_union, advisor=advisor, secretary_general=secretary_general
    )
    if not spec.drift:
        _selected_and_overseen(school, school_union, user, held, today)
    for code, title in (
        ("7", "主席团候选人推荐、考察、审批材料"),
        ("10", "学生代表资格审查报告"),
        ("12", "校党委会专题听取学生会工作汇报会议纪要"),
        ("14", "重要事项报备登记簿"),
    ):
        charter_services.attestation_add(
            actor=user,
            school=school,
            item_code=code,
            title=title,
            dated=held - dt.timedelta(days=10),
        )
    return BuiltSchool(spec.code, spec.name, spec.login, spec.password, len(roster))


def _selected_and_overseen(school, union, league, held: dt.date, today: dt.date) -> None:
    """What the narrow school's data shows of its procedure: the presidium and the department
    heads selected through every step of their chains (the League committee teacher acting for
    each office), and the Party committee's leadership of the last twelve months."""
    chains = chains_ensure(actor=None, school=school)
    posts = [
        m
        for m in Membership.objects.filter(union=union, end__isnull=True).select_related("body")
        if m.body.is_presidium or m.title in HEAD_TITLES
    ]
    record_finished_round(
        school=school,
        union=union,
        name=f"{held.year}-{held.year + 1}学年校学生会主席团及工作部门负责人遴选",
        held=held,
        posts=posts,
        chains=chains,
        offices=defaultdict(lambda: league),
        created_by=league,
    )
    oversight.assignment_add(
        actor=None,
        school=school,
        union=union,
        kind=AssignmentKind.IN_CHARGE,
        leader="黄志坚",
        position="校党委副书记（负责学生工作）",
        start=held,
    )
    oversight.plan_add(
        actor=None,
        school=school,
        year=today.year,
        document=f"《{school.name}{today.year}年党委工作要点》",
        excerpt="支持学生会按照章程开展工作，深化学生会改革。",
    )
    oversight.hearing_add(
        actor=None,
        school=school,
        union=union,
        held_on=today - dt.timedelta(days=60),
        meeting="校党委会",
        topics=[HearingTopic.WORK, HearingTopic.CANDIDATES],
        summary="听取学生会工作汇报，研究主席团候选人事项。",
    )


def _exactly_at_the_line(rows, student_id: int, cohorts: dict) -> None:
    """Move ``student_id`` to exactly the last place within the top 30% in both ranks (by
    swapping with whoever holds it), so the school passes the academic rule at its boundary."""
    members = next(set(ids) for ids in cohorts.values() if student_id in ids)
    cohort = [r for r in rows if r.student_id in members]
    mine = next(r for r in cohort if r.student_id == student_id)
    line = places_within(0.30, mine.major_size)
    for attr in ("study_rank", "assessment_rank"):
        other = next(r for r in cohort if getattr(r, attr) == line)
        setattr(other, attr, getattr(mine, attr))
        setattr(mine, attr, line)


def build_schools(today: dt.date | None = None) -> list[BuiltSchool]:
    today = today or timezone.localdate()
    load_checklist(ChecklistVersion, ChecklistItem)
    with transaction.atomic():
        return [build_school(spec, today) for spec in SPECS]
