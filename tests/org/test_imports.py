"""The registry imports: reading files, checking every row, writing in one audited transaction.

The helpers at the top (file writers, row builders) are shared with the command and view tests.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from tests.builders.org import (
    MEMBERSHIP_HEADERS,
    RECORD_HEADERS,
    STUDENT_HEADERS,
    counts,
    messages,
    run_import,
    student_row,
    student_rows,
    write_csv,
    write_xlsx,
)
from tuanxue.core.audit import verify_chain
from tuanxue.core.models import AuditEvent, Semester
from tuanxue.org import services
from tuanxue.org.imports.files.reading import decode_text
from tuanxue.org.models import (
    AcademicRecord,
    ClassGroup,
    College,
    Department,
    EndReason,
    Gender,
    ImportJob,
    ImportStatus,
    LeagueBranch,
    Major,
    Membership,
    PoliticalStatus,
    Student,
    Title,
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# -- students ---------------------------------------------------------------------------------


def test_a_good_students_file_creates_colleges_majors_classes_and_students(kit, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", STUDENT_HEADERS, student_rows(30))
    outcome = run_import(kit.school, "students", path)
    assert outcome.ok, messages(outcome)
    assert set(College.objects.filter(school=kit.school).values_list("name", flat=True)) == {
        "信息学院",
        "机电学院",
        "经管学院",
    }
    # New colleges come with their union and presidium.
    assert Department.objects.filter(union__college__name="经管学院", name="主席团").exists()
    assert Major.objects.filter(college__name="机电学院").count() == 2
    group = ClassGroup.objects.get(name="会计2101")
    assert (group.college.name, group.major.name, group.grade) == ("经管学院", "会计", 2021)
    assert LeagueBranch.objects.filter(class_group=group).exists()
    student = Student.objects.get(student_no="2021000001")
    assert student.gender == Gender.MALE
    assert student.political_status == PoliticalStatus.LEAGUE_MEMBER
    assert student.class_group.name == "机器人2101"
    assert student.campus == "南校区"
    assert student.phone == "13900000001"
    job = outcome.job
    assert job.status == ImportStatus.DONE
    assert job.rows == 30
    assert job.summary["counts"]["students_created"] == 30
    assert job.summary["counts"]["classes_created"] == 3
    assert job.file.name
    event = AuditEvent.objects.get(action="org.import.students")
    assert event.target_id == str(job.pk)
    assert event.new["students_created"] == 30
    assert event.new["file"] == "名单.xlsx"
    assert event.new["sha256"] == job.sha256
    # The new classes are named in the import's one event rather than in one event each.
    assert AuditEvent.objects.filter(action="org.class.created").count() == 1  # the kit's
    assert {c["name"]: (c["college"], c["major"], c["grade"]) for c in event.new["classes"]} == {
        "数控2101": ("机电学院", "数控技术", 2021),
        "机器人2101": ("机电学院", "机器人技术", 2021),
        "会计2101": ("经管学院", "会计", 2021),
    }
    assert verify_chain(kit.school) == []


def test_three_bad_rows_are_all_named_and_nothing_is_written(kit, tmp_path):
    rows = student_rows(10)
    rows[2][2] = "未知"  # row 4: gender
    rows[5][0] = rows[1][0]  # row 7: duplicate 学号 of row 3
    rows[8][7] = ""  # row 10: 政治面貌 missing
    rows.append(student_row(99, college="新学院", class_name="新班2101"))  # new college, good row
    path = write_xlsx(tmp_path / "bad.xlsx", STUDENT_HEADERS, rows)
    before = counts()
    outcome = run_import(kit.school, "students", path)
    assert not outcome.ok
    assert [e.row for e in outcome.plan.errors] == [4, 7, 10]
    text = messages(outcome)
    assert "性别" in text[0] and "未知" in text[0]
    assert "学号" in text[1] and "3" in text[1]
    assert "政治面貌" in text[2]
    assert counts() == before
    assert not College.objects.filter(name="新学院").exists()
    job = outcome.job
    assert job.status == ImportStatus.REFUSED
    assert [e["row"] for e in job.errors] == [4, 7, 10]


def test_malformed_fields_are_refused(kit, tmp_path):
    rows = [
        student_row(1, grade="21"),
        student_row(2, grade=1850),
        student_row(3, phone="1234"),
        student_row(4, status="入党积极分子"),
        student_row(5, name="名" * 51),
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", STUDENT_HEADERS, rows)
    outcome = run_import(kit.school, "students", path)
    assert [e.row for e in outcome.plan.errors] == [2, 3, 4, 5, 6]
    assert "年级" in messages(outcome)[0]
    assert "手机" in messages(outcome)[2]
    assert Student.objects.count() == 0


def test_a_missing_column_is_named(kit, tmp_path):
    headers = [h for h in STUDENT_HEADERS if h != "班级"]
    rows = [r[:5] + r[6:] for r in student_rows(3)]
    outcome = run_import(kit.school, "students", write_xlsx(tmp_path / "x.xlsx", headers, rows))
    assert not outcome.ok
    assert outcome.plan.errors[0].row == 1
    assert "班级" in messages(outcome)[0]


def test_columns_in_any_order_extra_columns_ignored_optional_columns_optional(kit, tmp_path):
    headers = ["备注", "政治面貌", "年级", "班级", "专业", "学院", "性别", "姓名", "学号"]
    rows = [["x", *reversed(r[:8])] for r in student_rows(5)]
    outcome = run_import(kit.school, "students", write_xlsx(tmp_path / "x.xlsx", headers, rows))
    assert outcome.ok, messages(outcome)
    assert Student.objects.get(student_no="2021000002").phone == ""


def test_class_under_another_college_is_a_row_error(kit, tmp_path):
    rows = [
        student_row(1, college="机电学院", major="软件技术", class_name="软件2001"),
        student_row(2, college="机电学院", major="数控技术", class_name="数控2101"),
        student_row(3, college="经管学院", major="会计", class_name="数控2101"),
    ]
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "x.xlsx", STUDENT_HEADERS, rows)
    )
    assert [e.row for e in outcome.plan.errors] == [2, 4]
    assert "信息学院" in messages(outcome)[0]  # the registry's home of 软件2001
    assert "row 3" in messages(outcome)[1] or "3" in messages(outcome)[1]


def test_reimport_updates_existing_students(kit, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, student_rows(6))
    assert run_import(kit.school, "students", path).ok
    rows = student_rows(6)
    rows[0][1] = "改名"
    rows[1][7] = "中共预备党员"
    rows[2][8] = ""  # blank campus keeps the old one
    rows.append(student_row(7, class_name="数控2101"))
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "b.xlsx", STUDENT_HEADERS, rows)
    )
    assert outcome.ok, messages(outcome)
    assert outcome.job.summary["counts"] == {
        "students_created": 1,
        "students_updated": 2,
        "students_unchanged": 4,
        "colleges_created": 0,
        "majors_created": 0,
        "classes_created": 0,
    }
    assert Student.objects.get(student_no="2021000001").name == "改名"
    assert (
        Student.objects.get(student_no="2021000002").political_status
        == PoliticalStatus.PARTY_PROBATIONARY
    )
    assert Student.objects.get(student_no="2021000003").campus == "南校区"
    assert Student.objects.filter(school=kit.school).count() == 7


def test_a_student_moves_to_a_new_class(kit, tmp_path):
    existing = kit.student()
    row = student_row(1, class_name="转专业2101", major="数控技术")
    row[0] = existing.student_no
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, [row])
    )
    assert outcome.ok, messages(outcome)
    existing.refresh_from_db()
    assert existing.class_group.name == "转专业2101"
    assert existing.college.name == "机电学院"
    assert outcome.job.summary["counts"]["students_updated"] == 1


def test_dry_run_writes_nothing(kit, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, student_rows(5))
    before = counts()
    jobs = ImportJob.objects.count()
    outcome = run_import(kit.school, "students", path, dry_run=True)
    assert outcome.ok
    assert outcome.job is None
    assert outcome.plan.counts["students_created"] == 5
    assert counts() == before
    assert ImportJob.objects.count() == jobs


# -- reading files ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(kit, tmp_path, encoding):
    path = write_csv(tmp_path / "名单.csv", STUDENT_HEADERS, student_rows(4), encoding)
    outcome = run_import(kit.school, "students", path)
    assert outcome.ok, messages(outcome)
    assert Student.objects.get(student_no="2021000004").name == "学生4"
    assert ClassGroup.objects.filter(name="机器人2101").exists()


def test_gbk_csv_is_detected():
    data = "学号,姓名\n1,张三\n".encode("gbk")
    assert decode_text(data).startswith("学号,姓名")


def test_a_bad_row_in_csv_is_numbered_as_the_spreadsheet_shows(kit, tmp_path):
    rows = student_rows(4)
    rows[3][2] = "X"
    path = write_csv(tmp_path / "a.csv", STUDENT_HEADERS, rows, "gbk")
    outcome = run_import(kit.school, "students", path)
    assert [e.row for e in outcome.plan.errors] == [5]


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("名单.xls", b"\xd0\xcf\x11\xe0 old excel", ".xlsx"),
        ("名单.txt", b"hello", ".csv"),
        ("名单.xlsx", b"not a zip at all", ".xlsx"),
        ("名单.csv", b"PK\x03\x04 a workbook", "CSV"),
        ("empty.csv", b"", "文件为空"),
        ("blank.csv", b"\n\n , ,\n", "文件为空"),
    ],
)
def test_wrong_type_and_empty_files_are_refused(kit, tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    outcome = run_import(kit.school, "students", path)
    assert not outcome.ok
    assert needle in messages(outcome)[0]
    assert outcome.plan.errors[0].row is None
    assert counts() == before


def test_a_header_without_data_rows_is_refused(kit, tmp_path):
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "h.xlsx", STUDENT_HEADERS, [])
    )
    assert not outcome.ok
    assert "没有数据行" in messages(outcome)[0]


def test_an_empty_workbook_is_refused(kit, tmp_path):
    path = tmp_path / "e.xlsx"
    openpyxl.Workbook().save(path)
    outcome = run_import(kit.school, "students", path)
    assert "文件为空" in messages(outcome)[0]


def test_a_file_over_the_limit_is_refused(kit, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1024
    path = write_csv(tmp_path / "big.csv", STUDENT_HEADERS, student_rows(40))
    assert path.stat().st_size > 1024
    before = counts()
    outcome = run_import(kit.school, "students", path)
    assert not outcome.ok
    assert "MB" in messages(outcome)[0]
    assert counts() == before


def test_blank_rows_are_skipped_and_numbers_in_cells_are_read_as_text(kit, tmp_path):
    rows = student_rows(3)
    rows[0][0] = 2021000001  # a number cell
    rows[1][9] = 13900000002
    rows.insert(1, [None] * len(STUDENT_HEADERS))
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, rows)
    )
    assert outcome.ok, messages(outcome)
    assert Student.objects.filter(student_no="2021000001").exists()
    assert Student.objects.get(student_no="2021000002").phone == "13900000002"


# -- academic records -----------------------------------------------------------------------------


def test_records_import_and_replace_a_semester(kit, tmp_path):
    a, b, c = kit.student(), kit.student(), kit.student()
    first = [
        [a.student_no, "2019-2020-2", 1, 2, 30, 0],
        [b.student_no, "2019-2020-2", 2, 1, 30, 1],
        [c.student_no, "2020-2021-1", 3, 3, 30, 0],
    ]
    outcome = run_import(
        kit.school, "records", write_xlsx(tmp_path / "r.xlsx", RECORD_HEADERS, first)
    )
    assert outcome.ok, messages(outcome)
    assert AcademicRecord.objects.count() == 3
    assert Semester.objects.filter(school=kit.school, code="2019-2020-2").exists()
    # Re-importing 2019-2020-2 replaces that semester only.
    second = [[a.student_no, "2019-2020-2", 5, 6, 31, 2]]
    outcome = run_import(
        kit.school, "records", write_xlsx(tmp_path / "s.xlsx", RECORD_HEADERS, second)
    )
    assert outcome.ok, messages(outcome)
    assert outcome.job.summary["counts"]["records_replaced"] == 2
    assert AcademicRecord.objects.filter(semester__code="2019-2020-2").count() == 1
    record = AcademicRecord.objects.get(student=a, semester__code="2019-2020-2")
    assert (
        record.study_rank,
        record.assessment_rank,
        record.major_size,
        record.failed_courses,
    ) == (
        5,
        6,
        31,
        2,
    )
    assert AcademicRecord.objects.filter(semester__code="2020-2021-1").count() == 1
    assert AuditEvent.objects.filter(action="org.import.records").count() == 2


def test_bad_records_are_all_listed(kit, tmp_path):
    a, b = kit.student(), kit.student()
    AcademicRecord.objects.create(
        school=kit.school,
        student=a,
        semester=services.semester_ensure(actor=None, school=kit.school, code="2019-2020-2"),
        study_rank=1,
        assessment_rank=1,
        major_size=10,
        failed_courses=0,
    )
    rows = [
        [a.student_no, "2019-2020-2", 31, 1, 30, 0],  # 2: rank above size
        ["NOPE", "2019-2020-2", 1, 1, 30, 0],  # 3: unknown student
        [b.student_no, "2019-2021-2", 1, 1, 30, 0],  # 4: bad semester
        [b.student_no, "2020-2021-2", 1, 0, 30, -1],  # 5: rank 0 and negative fails
        [b.student_no, "2019-2020-2", 1, 1, 30, 0],  # 6: good
        [b.student_no, "2019-2020-2", 1, 1, 30, 0],  # 7: duplicate of 6
        [b.student_no, "2020-2021-1", "一", 1, 30, 0],  # 8: not a number
    ]
    before = counts()
    outcome = run_import(
        kit.school, "records", write_xlsx(tmp_path / "r.xlsx", RECORD_HEADERS, rows)
    )
    assert [e.row for e in outcome.plan.errors] == [2, 3, 4, 5, 5, 7, 8]
    assert "学习成绩排名" in messages(outcome)[0]
    assert "NOPE" in messages(outcome)[1]
    assert "学期" in messages(outcome)[2]
    assert counts() == before
    assert AcademicRecord.objects.get(student=a).major_size == 10


# -- memberships ------------------------------------------------------------------------------


def test_memberships_import_with_new_department_and_end_dates(kit, tmp_path):
    a, b, c = kit.student(), kit.student(), kit.student()
    rows = [
        [a.student_no, "校学生会", "主席团", "执行主席", dt.datetime(2020, 9, 1), None],
        [b.student_no, "校学生会", "宣传部", "部长", "2020-09-01", "2021-06-30"],
        [c.student_no, "信息学院学生会", "主席团", "主席", "2019-09-01", None],
        [c.student_no, "校学生会", "宣传部", "工作人员", "2020-09-01", None],
    ]
    before = Department.objects.count()
    outcome = run_import(
        kit.school, "memberships", write_xlsx(tmp_path / "m.xlsx", MEMBERSHIP_HEADERS, rows)
    )
    assert outcome.ok, messages(outcome)
    assert Department.objects.count() == before + 1
    assert AuditEvent.objects.filter(action="org.department.created").exists()
    post = Membership.objects.get(student=b)
    assert post.title == Title.MINISTER
    assert post.body.name == "宣传部"
    assert post.end == dt.date(2021, 6, 30)
    assert post.end_reason == EndReason.TERM_END
    assert post.source == "import"
    assert Membership.objects.get(student=a).title == Title.EXECUTIVE_CHAIR
    assert Membership.objects.get(student=c, union__college__isnull=True).title == Title.STAFF
    assert outcome.job.summary["counts"]["memberships_created"] == 4
    # Importing again matches the posts; an end date closes an open one.
    rows[0][5] = "2021-08-31"
    outcome = run_import(
        kit.school, "memberships", write_xlsx(tmp_path / "n.xlsx", MEMBERSHIP_HEADERS, rows)
    )
    assert outcome.ok, messages(outcome)
    assert outcome.job.summary["counts"]["memberships_updated"] == 1
    assert outcome.job.summary["counts"]["memberships_unchanged"] == 3
    assert Membership.objects.get(student=a).end == dt.date(2021, 8, 31)
    assert Membership.objects.count() == 4


def test_bad_memberships_are_all_listed(kit, tmp_path):
    a, b = kit.student(), kit.student()
    kit.post(a, kit.department("秘书部"), Title.MINISTER)
    rows = [
        [b.student_no, "校学生会", "主席团", "部长", "2020-09-01", None],  # 2: title/body
        [b.student_no, "火星学生会", "秘书部", "部长", "2020-09-01", None],  # 3: no union
        [b.student_no, "校学生会", "秘书部", "会长", "2020-09-01", None],  # 4: unknown title
        ["NOPE", "校学生会", "秘书部", "干事", "2020-09-01", None],  # 5: unknown student
        [b.student_no, "校学生会", "秘书部", "干事", "2020/13/01", None],  # 6: bad date
        [b.student_no, "校学生会", "秘书部", "干事", "2021-09-01", "2020-09-01"],  # 7: order
        [a.student_no, "校学生会", "宣传部", "干事", "2021-09-01", None],  # 8: second open post
    ]
    before = counts()
    outcome = run_import(
        kit.school, "memberships", write_xlsx(tmp_path / "m.xlsx", MEMBERSHIP_HEADERS, rows)
    )
    assert [e.row for e in outcome.plan.errors] == [2, 3, 4, 5, 6, 7, 8]
    assert "职务" in messages(outcome)[2]
    assert counts() == before


def test_charter_limits_are_not_enforced_for_legacy_posts(kit, tmp_path):
    people = [kit.student() for _ in range(6)]
    rows = [[p.student_no, "校学生会", "主席团", "执行主席", "2018-09-01", None] for p in people]
    outcome = run_import(
        kit.school, "memberships", write_xlsx(tmp_path / "m.xlsx", MEMBERSHIP_HEADERS, rows)
    )
    assert outcome.ok, messages(outcome)
    assert Membership.objects.filter(title=Title.EXECUTIVE_CHAIR).count() == 6
