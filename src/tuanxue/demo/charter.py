"""The charter's part of the demo school: the 2020 revision, the 14th congress, the League
committee's guidance, the documents behind the items kept outside the system, and the 2020
self-assessment with a teacher's narrative. Registered with ``org.demo`` in apps.ready."""

from __future__ import annotations

import datetime as dt

from tuanxue.charter import services
from tuanxue.charter.checklist import load_checklist
from tuanxue.charter.models import ChecklistItem, ChecklistVersion
from tuanxue.charter.rules import SEED_2020
from tuanxue.org.models import StaffPerson, Union

CONGRESS_DAY = dt.date(2020, 8, 25)
ASSESSED_ON = dt.date(2020, 9, 30)

ATTESTATIONS = [
    (
        "7",
        "《团学干部选拔任用条例》及2020年主席团候选人推荐、考察、审批材料",
        dt.date(2020, 8, 20),
        "学院团委推荐、学院党总支同意、学工部与校团委面试考核、校党委审核、省学联同意。",
    ),
    (
        "10",
        "第十四次学生代表大会代表资格审查报告",
        dt.date(2020, 8, 24),
        "代表由班级团支部推荐、各学院选举产生，覆盖全部学院、各年级和主要学生社团。",
    ),
    (
        "11",
        "2019-2020学年第二学期述职评议会记录",
        dt.date(2020, 9, 11),
        "评议会以学生代表为主，学工部、校团委共同参与；主席团成员和部门负责人逐一述职。",
    ),
    (
        "12",
        "校党委会专题听取学生会工作汇报会议纪要",
        dt.date(2020, 6, 29),
        "学生会改革列入学校年度工作要点；分管学生工作的校领导负责学生会工作。",
    ),
    (
        "14",
        "《关于加强我校学生活动管理的补充规定》及报备登记簿",
        dt.date(2020, 9, 1),
        "重要事项、重大活动、重要信息、对外联络均向校团委报备。",
    ),
]

NARRATIVE = {
    "functions": "学生会立足服务同学，通过学生接待日、青年之声收集同学在学业、身心健康、社会融入和"
    "权益维护方面的诉求，及时反馈给学校有关部门。",
    "mechanism": "主席团集体负责重大事项，不设主席、副主席，执行主席按学期轮值，负责召集会议和"
    "牵头日常工作；院级学生会接受校级学生会指导，形成校、院、班三级联动。",
    "streamlining": "大型活动所需人手以项目化方式从班级、社团招募志愿者，因事用人、事完人散。",
    "criteria": "竞聘时严格审查政治面貌和最近一个学期的成绩排名、综合测评排名。",
    "procedure": "主席团成员和工作部门成员均按规定程序推荐、审核，重视从院级学生会中选拔骨干。",
    "congress": "学生代表由班级推荐、学院选举产生，大会听取并审议了上一届工作报告和章程修改案。",
    "governance": "新一届成员集中学习干部自律公约，对违反纪律的同学及时约谈、批评、通报。",
    "review": "评议结果作为第二课堂成绩单和评优评先的重要依据，但不与岗位简单挂钩。",
    "party": "学校党委把学生会建设纳入党建工作整体格局，校领导多次为学生会成员作专题报告。",
    "league": "校团委专职副书记担任指导老师，聘任一名专职干事老师担任秘书长。",
    "conclusion": "学生会将继续坚持问题导向，完善传帮带机制，加强校院班联动。",
}


def adopt_charter(school) -> None:
    services.charter_adopt(
        actor=None,
        school=school,
        name=f"{school.name}学生会章程",
        version_label="2020年修改版",
        effective_from=CONGRESS_DAY,
        rules=SEED_2020.to_json(),
        adopted_by="第十四次学生代表大会",
    )


def record_the_rest(school) -> None:
    load_checklist(ChecklistVersion, ChecklistItem)
    union = Union.objects.get(school=school, college__isnull=True)
    services.congress_record_add(
        actor=None,
        school=school,
        union=union,
        name="第十四次学生代表大会",
        held_on=CONGRESS_DAY,
        delegates=167,
        elected_presidium=True,
        notes="听取上一届工作报告，审议通过章程（2020年修改版），选举产生主席团。",
    )
    teachers = {
        p.user.username: p
        for p in StaffPerson.objects.filter(school=school, user__isnull=False).select_related(
            "user"
        )
    }
    services.guidance_set(
        actor=None,
        union=union,
        advisor=teachers.get("tuanwei"),
        secretary_general=teachers.get("mishuzhang"),
    )
    for code, title, dated, summary in ATTESTATIONS:
        services.attestation_add(
            actor=None, school=school, item_code=code, title=title, dated=dated, summary=summary
        )
    services.assessment_save(
        actor=None,
        school=school,
        year=ASSESSED_ON.year,
        assessed_on=ASSESSED_ON,
        narrative=NARRATIVE,
        published=True,
    )
