"""A roster import records, in its audit event, each changed student's columns before and after,
in the same transaction as the writes; and the bulk writes keep what the ORM would have written.
"""

from __future__ import annotations

import pytest

from tests.builders.org import (
    STUDENT_HEADERS,
    counts,
    messages,
    run_import,
    student_row,
    student_rows,
    write_xlsx,
)
from tuanxue.core.audit import verify_chain
from tuanxue.core.models import AuditEvent
from tuanxue.org.imports import students_write
from tuanxue.org.models import Gender, PoliticalStatus, Student


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_each_changed_student_is_recorded_field_by_field(kit, tmp_path):
    assert run_import(
        kit.school, "students", write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, student_rows(4))
    ).ok
    rows = student_rows(4)
    rows[0][1] = "改名"  # name
    rows[1][7] = "预备党员"  # political status, in another spelling
    rows[1][9] = "13700000002"  # and phone
    rows[2][8] = ""  # blank campus: kept, so not a change
    rows.append(student_row(9, class_name="新班2101", major="新专业", college="新学院"))
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "b.xlsx", STUDENT_HEADERS, rows)
    )
    assert outcome.ok, messages(outcome)
    event = AuditEvent.objects.filter(action="org.import.students").order_by("-id").first()
    assert event.old == {
        "changed": {
            "2021000001": {"姓名": "学生1"},
            "2021000002": {"政治面貌": "共青团员", "手机": "13900000002"},
        }
    }
    assert event.new["changed"] == {
        "2021000001": {"姓名": "改名"},
        "2021000002": {"政治面貌": "中共预备党员", "手机": "13700000002"},
    }
    assert event.new["created"] == ["2021000009"]
    assert event.new["students_updated"] == 2
    assert verify_chain(kit.school) == []
    # The registry holds what the event says.
    second = Student.objects.get(student_no="2021000002")
    assert second.political_status == PoliticalStatus.PARTY_PROBATIONARY
    assert second.phone == "13700000002"


def test_a_move_to_a_new_class_names_the_old_and_new_class(kit, tmp_path):
    existing = kit.student()
    row = student_row(1, class_name="转专业2101", major="数控技术", college="机电学院")
    row[0] = existing.student_no
    row[1] = existing.name
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, [row])
    )
    assert outcome.ok, messages(outcome)
    event = AuditEvent.objects.get(action="org.import.students")
    before, after = (
        event.old["changed"][existing.student_no],
        event.new["changed"][existing.student_no],
    )
    assert (before["学院"], before["专业"], before["班级"]) == ("信息学院", "软件技术", "软件2001")
    assert (after["学院"], after["专业"], after["班级"]) == ("机电学院", "数控技术", "转专业2101")
    existing.refresh_from_db()
    assert existing.class_group.name == "转专业2101"
    assert existing.major.name == "数控技术"


def test_a_failure_while_writing_leaves_neither_changes_nor_audit(kit, tmp_path, monkeypatch):
    assert run_import(
        kit.school, "students", write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, student_rows(3))
    ).ok
    before = counts()
    rows = student_rows(3)
    rows[0][1] = "改名"
    rows.append(student_row(4))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(students_write, "update_rows", broken)
    with pytest.raises(RuntimeError):
        run_import(kit.school, "students", write_xlsx(tmp_path / "b.xlsx", STUDENT_HEADERS, rows))
    assert counts() == before
    assert Student.objects.get(student_no="2021000001").name == "学生1"


def test_bulk_written_students_read_back_like_orm_ones(kit, tmp_path):
    rows = student_rows(2500)  # several batches
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, rows)
    )
    assert outcome.ok, messages(outcome)
    assert Student.objects.filter(school=kit.school).count() == 2500
    last = Student.objects.get(student_no="2021002500")
    assert (last.gender, last.postgraduate, last.user_id, last.grade) == (
        Gender.FEMALE,
        False,
        None,
        2021,
    )
    assert last.class_group.college_id == last.college_id
    rows = student_rows(2500)
    for row in rows:
        row[9] = "15" + row[9][2:]
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "b.xlsx", STUDENT_HEADERS, rows)
    )
    assert outcome.job.summary["counts"]["students_updated"] == 2500
    assert Student.objects.filter(phone__startswith="15").count() == 2500
