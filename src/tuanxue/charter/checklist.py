"""The national acceptance checklist (高校学生会（研究生会）深化改革评估验收), first edition.

Kept as data: the migration loads it into ChecklistVersion/ChecklistItem; a later edition is a new
version row. Each item names the check (in ``assessment.CHECKS``) that evaluates it.
"""

import datetime as dt

NATIONAL_2020 = {
    "code": "2020",
    "name": "高校学生会（研究生会）深化改革评估验收标准",
    "effective_from": "2020-01-01",
    "items": [
        # (code, title, core, check)
        (
            "1",
            "坚持服务同学，不承担宿舍管理、校园文明纠察、安全保卫等学校行政职能",
            True,
            "no_admin_functions",
        ),
        ("2", "实行“主席团+工作部门”模式，不设其他常设层级", True, "structure_form"),
        ("3", "工作人员总数、主席团成员数、工作部门数符合规定", True, "staffing_caps"),
        ("4", "除执行主席、主席团成员、部长、副部长、工作人员外不设其他职务", True, "titles"),
        ("5", "工作人员均为中共党员或共青团员", True, "political"),
        ("6", "工作人员学业成绩排名在本专业前30%以内且无课业不及格", True, "academic"),
        ("7", "主席团候选人、工作部门成员按规定程序推荐、审核", True, "selection_chain"),
        ("8", "主席团成员由学生代表大会直接选举产生", True, "presidium_elected"),
        ("9", "按期召开学生代表大会", True, "congress_on_schedule"),
        (
            "10",
            "学生代表以学院为选举单位产生，覆盖各学院、年级和主要学生社团",
            False,
            "delegate_coverage",
        ),
        ("11", "每学期开展述职评议，评议会以学生代表为主", False, "duty_review"),
        (
            "12",
            "学校党委加强全面领导：校领导分管、纳入党建整体格局、专题听取工作汇报",
            True,
            "party_leadership",
        ),
        ("13", "校团委加强具体指导：明确指导老师、选聘秘书长", True, "league_guidance"),
        ("14", "重要事项、重大活动、重要信息、对外联络按规定报备", False, "filing"),
    ],
}


def load_checklist(version_model, item_model, data=NATIONAL_2020) -> None:
    """Store an edition of the checklist (idempotent). The migration calls it with its
    historical models; the demo calls it with the real ones, so a database emptied by a test's
    flush gets the checklist back before the demo records documents against it."""
    version, _ = version_model.objects.get_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "effective_from": dt.date.fromisoformat(data["effective_from"]),
        },
    )
    for order, (code, title, core, check) in enumerate(data["items"], start=1):
        item_model.objects.update_or_create(
            version=version,
            code=code,
            defaults={"order": order, "title": title, "core": core, "check_key": check},
        )
