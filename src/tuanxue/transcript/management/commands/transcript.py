"""``tuanxue transcript --school CODE --student NO [--pdf FILE] [--json]``: issue a student's
second-classroom transcript (or reuse the current one when nothing has changed) and print its
verification code and URL."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.models import Student
from tuanxue.transcript.documents import transcript_pdf, verify_url
from tuanxue.transcript.services import transcript_issue


class Command(BaseCommand):
    help = "签发学生的第二课堂成绩单（内容未变时沿用现行的一份），输出验证码和验证网址。"

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="学校代码，例如 gdgm")
        parser.add_argument("--student", required=True, help="学号")
        parser.add_argument("--pdf", help="把成绩单 PDF 写入此文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, school: str, student: str, pdf: str | None, **options):
        school_obj = School.objects.filter(code=school).first()
        if school_obj is None:
            raise CommandError(f"没有代码为 {school} 的学校。")
        found = (
            Student.objects.select_related("school", "college", "major", "class_group")
            .filter(school=school_obj, student_no=student)
            .first()
        )
        if found is None:
            raise CommandError(f"{school_obj.name} 没有学号为 {student} 的学生。")
        try:
            issued, created = transcript_issue(actor=None, student=found, check_access=False)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if pdf:
            path = Path(pdf)
            try:
                path.write_bytes(transcript_pdf(issued))
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc.strerror}") from exc
        url = verify_url(issued.code)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "school": school_obj.code,
                        "student_no": found.student_no,
                        "code": issued.code,
                        "url": url,
                        "hash": issued.content_hash,
                        "issued_at": issued.issued_at.isoformat(),
                        "new": created,
                        "status": issued.status,
                        "total_hours": issued.content["total_hours"],
                        "areas": {
                            a["area"]: {
                                "hours": a["hours"],
                                "required": a["required"],
                                "met": a["met"],
                            }
                            for a in issued.content["areas"]
                        },
                        "pdf": str(Path(pdf).resolve()) if pdf else None,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        state = "新签发" if created else "内容未变，沿用现行成绩单"
        self.stdout.write(f"{found.name}（{found.student_no}）第二课堂成绩单：{state}")
        self.stdout.write(f"验证码：{issued.code}")
        self.stdout.write(f"验证网址：{url}")
        self.stdout.write(f"SHA-256：{issued.content_hash}")
        self.stdout.write(f"总学时：{issued.content['total_hours']}")
        if pdf:
            self.stdout.write(f"PDF：{Path(pdf).resolve()}")
