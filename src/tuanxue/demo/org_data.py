"""Fixed tables for the demo school: colleges, majors, names, societies, remits and logins."""

from __future__ import annotations

import datetime as dt

from tuanxue.org.models import Role

SCHOOL_CODE = "gdgm"
SCHOOL_NAME = "广东工贸职业技术学院"
SEED = 2020
PASSWORD = "demo2020"
URL = "http://127.0.0.1:8000/"

SEMESTERS = ["2019-2020-1", "2019-2020-2", "2020-2021-1", "2020-2021-2"]
RECORD_SEMESTER = "2019-2020-2"
# The newest semester of the calendar: its records carry the recorded standing forward.
LATEST_SEMESTER = "2020-2021-2"
GRADES = [2018, 2019, 2020]
# Students who entered in 2020 have no record for 2019-2020-2; union staff come from these grades.
RECORD_GRADES = [2018, 2019]

CONGRESS_DAY = dt.date(2020, 8, 25)  # the 14th congress: school union terms start here
COLLEGE_TERM_START = dt.date(2020, 9, 10)
EARLIER_POST_END = dt.date(2020, 8, 24)
# When the school union's members started their earlier college posts, by grade.
EARLIER_POST_START = {2018: dt.date(2019, 9, 10), 2019: dt.date(2019, 10, 15)}

CAMPUSES = ["天河校区", "白云校区", "清远校区"]

# (college, campus, share of male students, [(major, short name for class names), ...])
COLLEGES: list[tuple[str, str, float, list[tuple[str, str]]]] = [
    (
        "测绘遥感信息学院",
        "天河校区",
        0.62,
        [("工程测量技术", "测量"), ("摄影测量与遥感技术", "遥感"), ("地理信息技术", "地信")],
    ),
    (
        "计算机与信息工程学院",
        "白云校区",
        0.7,
        [
            ("软件技术", "软件"),
            ("计算机网络技术", "网络"),
            ("大数据技术与应用", "大数据"),
            ("云计算技术与应用", "云计算"),
        ],
    ),
    (
        "机电工程学院",
        "清远校区",
        0.85,
        [("机电一体化技术", "机电"), ("工业机器人技术", "机器人"), ("电气自动化技术", "电气")],
    ),
    (
        "汽车工程学院",
        "清远校区",
        0.88,
        [("汽车检测与维修技术", "汽修"), ("新能源汽车技术", "新能源")],
    ),
    (
        "经济管理学院",
        "天河校区",
        0.4,
        [("电子商务", "电商"), ("市场营销", "营销"), ("物流管理", "物流")],
    ),
    (
        "财经学院",
        "白云校区",
        0.25,
        [("会计", "会计"), ("金融管理", "金融")],
    ),
    (
        "外语外贸学院",
        "天河校区",
        0.2,
        [("商务英语", "商英"), ("应用日语", "日语"), ("国际经济与贸易", "国贸")],
    ),
    (
        "艺术设计学院",
        "白云校区",
        0.35,
        [
            ("视觉传播设计与制作", "视传"),
            ("环境艺术设计", "环艺"),
            ("数字媒体艺术设计", "数媒"),
        ],
    ),
]

# Classes per major and grade, and students per class.
CLASSES_PER_COHORT = [1, 2, 2, 2, 3]
CLASS_SIZE = (38, 48)

# Common surnames in Guangdong, weighted roughly by frequency.
SURNAMES: list[tuple[str, int]] = [
    ("陈", 60), ("李", 48), ("黄", 46), ("张", 36), ("梁", 30), ("林", 30), ("刘", 28),
    ("吴", 24), ("罗", 22), ("杨", 20), ("周", 16), ("郑", 16), ("何", 15), ("王", 15),
    ("谢", 14), ("钟", 13), ("曾", 13), ("邓", 12), ("冯", 12), ("许", 10), ("蔡", 10),
    ("叶", 10), ("苏", 9), ("潘", 9), ("卢", 9), ("彭", 8), ("朱", 8), ("庄", 6),
    ("邱", 7), ("胡", 7), ("温", 6), ("赖", 6), ("余", 6), ("郭", 6), ("江", 5),
    ("莫", 5), ("麦", 4), ("简", 3), ("欧阳", 3), ("司徒", 2), ("区", 2), ("古", 2),
]  # fmt: skip

GIVEN_MALE = (
    "伟俊杰浩宇晨轩涛鹏明志健家文博子嘉泽锐峰宏振彬海斌辉豪铭建国锋荣森立永航"
    "思成庆达华智勇坤凯信毅东旭晖康"
)
GIVEN_FEMALE = (
    "婷丽静敏燕欣怡佳雪琳晓慧颖琪思雨诗梦倩芳莹洁淑嘉妍蕾玲萍梓悦楠彤月茜晴岚瑶璐紫秀凤霞丹蓉薇"
)

# Political status and its share: mostly League members.
POLITICAL_WEIGHTS = [("league", 850), ("masses", 128), ("party_probationary", 14), ("party", 8)]

# name, is a major society, college (by index into COLLEGES) or None for school-wide
SOCIETIES: list[tuple[str, bool, int | None]] = [
    ("青年志愿者协会", True, None),
    ("大学生艺术团", True, None),
    ("大学生科技创新协会", True, None),
    ("国旗护卫队", False, None),
    ("篮球协会", False, None),
    ("摄影协会", False, None),
    ("书法协会", False, None),
    ("英语协会", False, 6),
    ("无人机协会", False, 0),
    ("汽车爱好者协会", False, 3),
]

SCHOOL_DEPARTMENTS: list[tuple[str, str]] = [
    (
        "秘书部",
        "负责学生会会务组织、文书档案、经费公开和重要事项报备，统筹“学生接待日”“青年之声”"
        "平台同学诉求的登记、转办和回访，让同学的意见建议件件有回音。",
    ),
    (
        "文艺部",
        "围绕美育实践组织新生文艺汇演、校园歌手大赛等文化艺术活动，联系服务学生文艺类社团，"
        "丰富同学课余文化生活，为同学展示才艺搭建平台。",
    ),
    (
        "学习权益部",
        "开展学风建设、朋辈学业帮扶和学术科技活动；收集同学在学业发展、身心健康、社会融入、"
        "权益维护等方面的意见建议，反映给学校有关部门并跟进答复，维护同学正当权益。",
    ),
    (
        "纪检部",
        "负责学生会内部作风建设和纪律监督，督促工作人员遵守干部自律公约、履职尽责，"
        "协助组织述职评议，受理同学对学生会及其工作人员的意见和投诉。",
    ),
    (
        "宣传部",
        "负责学生会新媒体平台和宣传阵地的内容策划与运营，宣传党的创新理论，讲好工贸青年故事，"
        "及时向同学公开学生会工作信息。",
    ),
    (
        "体育部",
        "组织“IT杯”篮球赛、校运会学生项目、阳光长跑等群众性体育活动，联系服务体育类社团，"
        "引导同学积极参加体育锻炼、增强体质。",
    ),
]

# College union departments: the first four always, the last two for some colleges.
COLLEGE_DEPARTMENTS: list[tuple[str, str]] = [
    ("秘书部", "负责院学生会会务组织、文书档案和工作报备，收集、转办本院同学的意见建议。"),
    ("学习部", "组织本院学风建设、专业技能竞赛和朋辈学业帮扶活动，服务同学学业发展。"),
    ("文体部", "组织本院文艺、体育活动，打造“一院一品”特色活动品牌，丰富同学课余生活。"),
    ("宣传部", "负责本院学生会新媒体平台运营和活动宣传，讲好本院青年故事。"),
    ("实践部", "组织本院同学参加社会实践、劳动教育和志愿服务项目，以项目化方式招募志愿者。"),
    (
        "权益部",
        "收集本院同学在学业、成长和校园生活方面的诉求，反映给学院和学校有关部门并跟进答复。",
    ),
]

# School union: (department index, staff count); every department has a minister and a vice.
SCHOOL_DEPARTMENT_STAFF = [3, 2, 3, 2, 2, 2]
FROM_COLLEGE_UNIONS = 21

# Staff logins: username, name, unit, position, role, scoped to the first college.
STAFF_LOGINS: list[tuple[str, str, str, str, str, bool]] = [
    ("tuanwei", "林晓东", "校团委", "指导老师（团委副书记）", Role.SCHOOL_LEAGUE, False),
    ("mishuzhang", "黄婉婷", "校团委", "秘书长老师", Role.SCHOOL_LEAGUE, False),
    ("xuegong", "郑国强", "党委学生工作部", "部长", Role.STUDENT_AFFAIRS, False),
    ("dangwei", "李建华", "校党委", "副书记（分管学生工作）", Role.SCHOOL_PARTY, False),
    ("xytw", "陈志明", "测绘遥感信息学院团委", "书记", Role.COLLEGE_LEAGUE, True),
    ("xydzz", "吴丽萍", "测绘遥感信息学院党总支", "书记", Role.COLLEGE_PARTY, True),
    ("jiaowu", "刘振宇", "教务处", "教学运行科科长", Role.SCHOOL_DEPARTMENT, False),
]
FEDERATION_LOGIN = ("xuelian", "广东省学联")

# Every login the demo prints: (username, role in Chinese, role in English).
LOGINS: list[tuple[str, str, str]] = [
    ("tuanwei", "校团委 指导老师", "School League committee, advisor teacher"),
    ("mishuzhang", "校团委 秘书长老师", "School League committee, secretary-general teacher"),
    ("xuegong", "党委学生工作部", "Student Affairs"),
    ("dangwei", "校党委", "School Party committee"),
    ("xytw", "学院团委（测绘遥感信息学院）", "College League committee"),
    ("xydzz", "学院党总支（测绘遥感信息学院）", "College Party branch"),
    ("jiaowu", "职能部门（教务处）", "School department (Academic Affairs)"),
    ("xuelian", "省学联", "Provincial student federation"),
    ("zhixing", "执行主席", "Executive chair"),
    ("zhuxituan", "主席团成员", "Presidium member"),
    ("buzhang", "部长（学习权益部）", "Department head (minister)"),
    ("ganshi", "干事（学习权益部）", "Union staff member"),
    ("tuanzhishu", "团支书", "Class League branch secretary"),
    ("daibiao", "学生代表", "Congress delegate"),
    ("xuesheng", "学生", "Student"),
]
DEMO_USERNAMES = [username for username, _zh, _en in LOGINS]
