"""The generated paragraphs of each section of the self-assessment report.

Every figure comes from the ``Report`` (its figures, items and context) or from the records the
report names; nothing is typed by hand.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from tuanxue.charter.compliance import OTHER_LEVEL_WORDS, month_diff
from tuanxue.charter.documents.text import (
    CORE_MARK,
    PERIOD_TEXT,
    POLITICAL_TEXT,
    STATUS_TEXT,
    TITLE_TEXT,
    cap_breaches,
    cn_date,
    cn_month,
    guidance_of,
    items_by_check,
    limits_phrase,
    percent,
    share_text,
)
from tuanxue.charter.models import CongressRecord
from tuanxue.charter.verdicts import FAIL, PASS, Report
from tuanxue.org.models import Title


def congress_history(ctx) -> list[CongressRecord]:
    """The school union's congresses recorded up to the report's day, oldest first."""
    return list(
        CongressRecord.objects.filter(
            school=ctx.school, union=ctx.school_union.union, held_on__lte=ctx.day
        ).order_by("held_on", "pk")
    )


class SectionWriter:
    """Generates the paragraphs of each section from one report."""

    def __init__(self, report: Report):
        self.report = report
        self.ctx = report.context
        self.rules = self.ctx.rules
        self.items = items_by_check(report)
        self.s = self.ctx.school_union

    # -- helpers -----------------------------------------------------------------------------

    def item_line(self, checks: tuple[str, ...]) -> str:
        parts = [
            f"{CORE_MARK[i.core]}第{i.code}项“{i.title}”——{STATUS_TEXT.get(i.status, i.status)}"
            for i in (self.items.get(c) for c in checks)
            if i is not None
        ]
        return ("对应验收标准：" + "；".join(parts) + "。") if parts else ""

    def status(self, check: str) -> str | None:
        item = self.items.get(check)
        return item.status if item else None

    def attested(self, check: str, lead: str, missing: str, data_lead: str = "") -> str:
        item = self.items.get(check)
        if item is None or item.status != PASS:
            return missing
        if item.basis == "data" and item.refs and data_lead:
            return f"{data_lead}{'；'.join(item.evidence)}（依据系统数据，非登记文件）。"
        return f"{lead}{'、'.join(item.evidence)}。"

    def charter_source(self) -> str:
        charter = self.ctx.charter
        if charter is None:
            return "我校尚未在系统中录入学生会章程，以下按全国验收标准的默认上限对照，"
        adopted = f"{charter.adopted_by}审议通过的" if charter.adopted_by else ""
        return (
            f"{adopted}《{charter.name}》（{charter.version_label}，"
            f"{cn_date(charter.effective_from)}起施行）"
        )

    # -- sections ----------------------------------------------------------------------------

    def intro(self) -> list[str]:
        report = self.report
        checklist = f"《{report.checklist.name}》" if report.checklist else "评估验收标准"
        return [
            f"根据{checklist}，{report.school.name}以{cn_date(report.day)}的组织数据为准，"
            f"对学生会深化改革情况逐项开展自评，现将有关情况汇报如下。"
        ]

    def functions(self) -> list[str]:
        structures = self.ctx.structures
        departments = sum(len(s.departments) for s in structures)
        names = "、".join(self.rules.forbidden_functions)
        taking = [
            f"{s.union.name}{d.body.name}（{'、'.join(found)}）"
            for s in structures
            for d in s.departments
            if (found := self.rules.forbidden_in(f"{d.body.name} {d.body.remit}"))
        ]
        unwritten = [
            f"{s.union.name}{d.body.name}"
            for s in structures
            for d in s.departments
            if not d.body.remit.strip()
        ]
        if not departments:
            return [
                f"全校{len(structures)}个学生会（校级1个、院级{len(structures) - 1}个）在系统中"
                "尚未设立工作部门，部门职责无从核查。"
            ]
        text = (
            f"经逐一核查，全校{len(structures)}个学生会（校级1个、院级{len(structures) - 1}个）"
            f"共{departments}个工作部门的职责，"
        )
        if taking:
            text += f"其中{'；'.join(taking)}承担了学校行政职能，须予纠正。"
        elif unwritten:
            text += (
                f"已写明职责的{departments - len(unwritten)}个部门均未承担{names}等学校行政职能；"
                f"{'、'.join(unwritten)}尚未写明职责，无从核查。"
            )
        else:
            text += f"学生会均未承担{names}等学校行政职能。"
        return [text]

    def mechanism(self) -> list[str]:
        s = self.s
        presidium = s.presidium.members if s.presidium else []
        staffed = [d for d in s.departments if d.members]
        if presidium and staffed:
            text = "我校校学生会组织架构为“主席团＋工作部门”模式"
        else:
            gaps = []
            if not presidium:
                gaps.append("主席团尚无成员")
            if not s.departments:
                gaps.append("尚未设立工作部门")
            elif not staffed:
                gaps.append("各工作部门尚无工作人员")
            text = f"系统中校学生会{'，'.join(gaps)}，“主席团＋工作部门”模式尚不能从数据中得到体现"
        if self.ctx.charter is not None and self.rules.rotation:
            chairs = [m for m in presidium if m.title in (Title.CHAIR, Title.VICE_CHAIR)]
            text += "；章程规定实行主席团轮值制度，主席团集体负责学生会重大事项，由主席团成员轮值担任执行主席"
            text += (
                f"，但现有{len(chairs)}人担任主席或副主席，须予调整"
                if chairs
                else "，现任主席团成员中无人担任主席、副主席"
            )
            chair = s.executive_chair
            text += (
                f"，本学期执行主席为{chair.student.name}"
                if chair is not None
                else "，系统中尚未记录本学期的执行主席"
            )
        text += "。"
        if s.departments:
            names = "、".join(d.body.name for d in s.departments)
            text += f"校学生会下设{names}{s.department_count}个工作部门"
        others = [
            f"{x.union.name}{d.body.name}"
            for x in self.ctx.structures
            for d in x.departments
            if any(w in d.body.name for w in OTHER_LEVEL_WORDS)
        ]
        if others:
            text += (
                f"{'；' if s.departments else ''}{'、'.join(others)}属于其他常设层级，须予调整。"
            )
        elif s.departments:
            text += "，未设置其他常设层级。"
        colleges = self.ctx.college_unions
        if not colleges:
            return [text]
        staff = sum(x.staff_total for x in colleges)
        text2 = f"全校共有院级学生会{len(colleges)}个，系统中记录的现任工作人员共{staff}人。"
        lacking = []
        for x in colleges:
            gaps = []
            if not (x.presidium and x.presidium.members):
                gaps.append("主席团无成员")
            if not x.departments:
                gaps.append("未设工作部门")
            elif not any(d.members for d in x.departments):
                gaps.append("工作部门无工作人员")
            if gaps:
                lacking.append(f"{x.union.name}（{'、'.join(gaps)}）")
        if lacking:
            text2 += f"其中{'；'.join(lacking)}，尚未按“主席团＋工作部门”模式配齐。"
        else:
            text2 += (
                "各院级学生会均设有主席团和配有工作人员的工作部门，按“主席团＋工作部门”模式设置。"
            )
        return [text, text2]

    def streamlining(self) -> list[str]:
        s, rules = self.s, self.rules
        college = limits_phrase(rules.college)
        if self.ctx.charter is None:
            text = (
                "我校尚未在系统中录入学生会章程，以下按全国验收标准的默认上限对照：校级学生会"
                f"{limits_phrase(rules.school)}。"
            )
            rule_name = "默认上限"
        else:
            text = f"{self.charter_source()}明确校级学生会{limits_phrase(rules.school)}"
            text += f"；院级学生会{college}。" if college else "。"
            rule_name = "章程规定"
        members = [m for x in self.ctx.structures for m in x.members]
        if not members:
            return [text + "系统中尚未记录学生会现任工作人员，人数和职务无从核查。"]
        text += (
            f"当前我校学生会总人数为{s.staff_total}人，主席团成员{s.presidium_size}个，"
            f"部门{s.department_count}个"
        )
        breaches = [b for x in self.ctx.structures for b in cap_breaches(x, rules)]
        text += (
            f"；以下情况不符合{rule_name}：{'；'.join(breaches)}。"
            if breaches
            else f"，校院两级学生会的人数和机构均符合{rule_name}。"
        )
        allowed = "、".join(TITLE_TEXT[t] for t in rules.allowed_titles)
        bad_titles = [m for m in members if m.title not in rules.allowed_titles]
        if bad_titles:
            text += f"有{len(bad_titles)}人担任{allowed}以外的职务，须予调整。"
        else:
            text += f"现任{len(members)}名工作人员均担任{allowed}等职务，未设其他职务。"
        return [text]

    def criteria(self) -> list[str]:
        members = [m for x in self.ctx.structures for m in x.members]
        rules = self.rules
        counts = Counter(m.student.political_status for m in members)
        if not members:
            first = "系统中尚未记录学生会现任工作人员，政治面貌无从核查。"
        elif len(counts) == 1:
            only = next(iter(counts))
            first = (
                f"严把政治面貌关，校院两级学生会现任工作人员共{len(members)}人，"
                f"政治面貌均为{POLITICAL_TEXT.get(only, only)}。"
            )
        else:
            parts = "、".join(
                f"{POLITICAL_TEXT.get(status, status)}{n}人" for status, n in counts.most_common()
            )
            bad = sum(n for status, n in counts.items() if status not in rules.political_statuses)
            first = (
                f"严把政治面貌关，校院两级学生会现任工作人员共{len(members)}人，其中{parts}；"
                + (f"{bad}人政治面貌不符合章程要求。" if bad else "政治面貌均符合章程要求。")
            )
        period = PERIOD_TEXT.get(rules.academic_period, "入学以来")
        ranks = "学习成绩排名及综合测评排名" if rules.academic_counts_assessment else "学习成绩排名"
        exempt = "（一年级新生除外）" if rules.first_year_exempt else ""
        source = "章程规定" if self.ctx.charter is not None else "全国验收标准要求"
        second = (
            f"{source}，学生会工作人员{exempt}{period}{ranks}须在本专业前"
            f"{share_text(rules.top_share)}以内，且无课业不及格情况。"
        )
        academic = self.items.get("academic")
        if academic is not None:
            if academic.status == PASS:
                second += f"经按任职起始日逐人核查，{len(members)}名现任工作人员均符合上述条件。"
            elif academic.status == FAIL:
                second += f"经逐人核查，有{academic.actual}人不符合上述条件。"
            else:
                second += "部分工作人员缺少所需学期的成绩记录，尚无法判定。"
        return [first, second]

    def procedure(self) -> list[str]:
        s = self.s
        paragraphs = [
            self.attested(
                "selection_chain",
                "主席团候选人和工作部门成员的推荐、审核程序有据可查：",
                "系统中尚未记录主席团候选人和工作部门成员的推荐、审核材料。",
                "现任主席团成员和工作部门负责人均经系统中的审批链推荐、审核任用，"
                "各环节由学院团委、学院党组织、学工部、校团委、校党委等逐一审批：",
            )
        ]
        congress = self.ctx.congress
        text = ""
        if congress is not None and congress.elected_presidium:
            presidium = s.presidium.members if s.presidium else []
            elected = [m for m in presidium if m.start >= congress.held_on]
            text = (
                f"我校现任{len(presidium)}名学生会主席团成员中，{len(elected)}名由"
                f"{cn_month(congress.held_on)}我校{congress.name}选举产生。"
            )
        elif congress is not None:
            text = f"{congress.name}未选举产生主席团。"
        if s.staff_total:
            text += (
                f"现任{s.staff_total}名工作人员中有{s.from_college_unions}人曾在学院学生会任职，"
                f"现任成员中来自学院学生会的成员比例为{percent(s.from_college_unions_ratio)}。"
            )
        else:
            text += "系统中尚未记录校学生会现任工作人员，来自学院学生会的成员比例无从计算。"
        paragraphs.append(text)
        return paragraphs

    def congress(self) -> list[str]:
        rules = self.rules
        interval = rules.congress_interval_months
        every = "每年" if interval == 12 else f"每{interval}个月"
        source = (
            "章程规定"
            if self.ctx.charter is not None
            else "全国验收标准要求按期召开学生代表大会，按默认规则"
        )
        text = (
            f"{source}{every}召开学生代表大会，"
            f"各学院学生代表人数不低于该学院学生人数的{share_text(rules.ratio)}。"
        )
        history = congress_history(self.ctx)
        congress = self.ctx.congress
        if congress is None:
            return [text + "系统中尚无校学生代表大会的记录，是否按期召开无从核查。"]
        if (
            len(history) >= 2
            and all(
                month_diff(later.held_on, earlier.held_on) <= interval
                for earlier, later in pairwise(history)
            )
            and self.status("congress_on_schedule") == PASS
        ):
            listed = "、".join(f"{cn_date(c.held_on)}{c.name}" for c in history)
            text += (
                f"系统记录的{len(history)}次大会（{listed}）间隔均未超过章程规定，坚持{every}召开。"
            )
        elif len(history) == 1:
            text += "系统中仅有一次校学生代表大会的记录，历年是否按期召开尚无记录可查。"
        else:
            text += f"系统中共有{len(history)}次校学生代表大会的记录，其间有超过规定间隔的情况。"
        text += f"{cn_date(congress.held_on)}，我校召开了{congress.name}，{congress.delegates}名代表参加大会"
        text += "，选举产生了新一届主席团。" if congress.elected_presidium else "。"
        coverage = self.items.get("delegate_coverage")
        if coverage is not None and isinstance(coverage.limit, int):
            enough = congress.delegates >= coverage.limit
            text += f"按各学院学生人数计算，代表名额合计应不少于{coverage.limit}名，" + (
                "实际代表人数达到要求。" if enough else "实际代表人数不足。"
            )
        if coverage is not None and coverage.status == PASS and coverage.basis == "data":
            text += (
                f"学生代表以各学院为选举单位产生，经核查系统中的大会代表数据：{coverage.detail}"
                "（依据系统数据，非登记文件）。"
            )
        elif coverage is not None and coverage.status == PASS:
            text += f"学生代表以各学院为选举单位产生，有关材料：{'、'.join(coverage.evidence)}。"
        if self.status("congress_on_schedule") == PASS:
            text += f"截至{cn_date(self.report.day)}，符合按期召开的要求。"
        elif self.status("congress_on_schedule") == FAIL:
            text += f"截至{cn_date(self.report.day)}，距上次大会已超过章程规定的间隔。"
        return [text]

    def review(self) -> list[str]:
        return [
            self.attested(
                "duty_review",
                "主席团成员、工作部门负责人每学期向评议会述职，有关材料：",
                "系统中尚无述职评议的记录。",
            )
        ]

    def party(self) -> list[str]:
        return [
            self.attested(
                "party_leadership",
                "学校党委落实全面领导（校领导分管、纳入党建工作整体格局、专题听取学生会工作汇报），"
                "有关文件：",
                "系统中尚无学校党委领导学生会工作的文件记录。",
                "学校党委落实全面领导，系统中的记录如下：",
            )
        ]

    def league(self) -> list[str]:
        guidance = guidance_of(self.report)
        if guidance is None or (guidance.advisor is None and guidance.secretary_general is None):
            text = "系统中尚未记录校学生会的指导老师和秘书长。"
        else:
            parts = []
            if guidance.advisor is not None:
                parts.append(f"明确{guidance.advisor.name}老师担任校学生会指导老师")
            if guidance.secretary_general is not None:
                parts.append(f"选聘{guidance.secretary_general.name}老师担任校学生会秘书长")
            text = "校团委" + "，".join(parts) + "。"
            if guidance.advisor is None:
                text += "尚未明确指导老师。"
            if guidance.secretary_general is None:
                text += "尚未选聘秘书长。"
        filing = self.attested(
            "filing",
            "重要事项、重大活动、重要信息、对外联络按规定报备，有关文件：",
            "系统中尚无重要事项报备的文件记录。",
            "重要事项、重大活动、重要信息、对外联络均向校团委报备并经审核同意：",
        )
        return [text, filing]

    def conclusion(self) -> list[str]:
        report = self.report
        core = [i for i in report.items if i.core]
        observed = [i for i in report.items if not i.core]
        checklist = f"《{report.checklist.name}》" if report.checklist else "评估验收标准"
        text = (
            f"综上所述，对照{checklist}，以{cn_date(report.day)}的数据为准，"
            f"{len(core)}项核心指标（★）中{sum(i.status == PASS for i in core)}项通过，"
            f"{len(observed)}项观测指标（▲）中{sum(i.status == PASS for i in observed)}项通过。"
        )
        if report.passed:
            text += "通过自评，我校学生会改革达到高校学生会深化改革验收标准，自评通过。"
        else:
            open_items = "、".join(i.code for i in core if i.status != PASS)
            reason = f"第{open_items}项核心指标未通过或尚无依据" if open_items else ""
            if report.charter is None:
                reason = "尚未录入学生会章程" + (f"，{reason}" if reason else "")
            text += (
                f"通过自评，我校学生会改革尚未达到高校学生会深化改革验收标准（{reason}），"
                "自评未通过。"
            )
        return [text]
