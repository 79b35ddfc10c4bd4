"""An import's file may be given as bytes, a path, a file object or an upload that Django spooled
to disk: each is read from disk (no copy held in memory) and gives the same table, and the
kept file and its SHA-256 are the same whichever way it came."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from tests.builders.org import STUDENT_HEADERS, student_rows, write_csv, write_xlsx
from tuanxue.org.imports import import_job_create
from tuanxue.org.imports.files.reading import read_table, text_encoding
from tuanxue.org.models import ImportStatus


def _forms(path):
    data = path.read_bytes()
    spooled = TemporaryUploadedFile(path.name, "application/octet-stream", len(data), None)
    spooled.write(data)
    spooled.seek(0)
    return {
        "bytes": data,
        "path": path,
        "str": str(path),
        "file": open(path, "rb"),
        "upload in memory": SimpleUploadedFile(path.name, data),
        "upload on disk": spooled,
    }


@pytest.mark.parametrize("kind", ["xlsx", "csv-gbk"])
def test_every_form_of_the_file_reads_the_same(tmp_path, kind):
    rows = student_rows(4)
    rows[1][1] = "张三丰"
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, rows)
    else:
        path = write_csv(tmp_path / "a.csv", STUDENT_HEADERS, rows, encoding="gbk")
    tables = {}
    forms = _forms(path)
    try:
        for name, source in forms.items():
            table = read_table(path.name, source)
            tables[name] = (table.headers, table.header_row, table.rows)
    finally:
        forms["file"].close()
        forms["upload on disk"].close()
    first = tables["bytes"]
    assert all(value == first for value in tables.values()), tables.keys()
    assert first[2][1][1][1] == "张三丰"
    assert len(first[2]) == 4


def test_the_encoding_is_found_without_reading_the_file_into_memory(tmp_path):
    rows = student_rows(3)
    assert text_encoding(str(write_csv(tmp_path / "u.csv", STUDENT_HEADERS, rows)))[0] == (
        "utf-8-sig"
    )
    gbk = write_csv(tmp_path / "g.csv", STUDENT_HEADERS, rows, encoding="gbk")
    encoding, lines = text_encoding(str(gbk))
    assert encoding == "gb18030" and lines == 5  # four lines and the end


def test_an_upload_is_kept_whole_with_its_digest(kit, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_xlsx(tmp_path / "roster.xlsx", STUDENT_HEADERS, student_rows(3))
    data = path.read_bytes()
    upload = TemporaryUploadedFile("roster.xlsx", "application/octet-stream", len(data), None)
    upload.write(data)
    upload.seek(0)
    try:
        job = import_job_create(
            actor=None, school=kit.school, kind="students", filename="roster.xlsx", content=upload
        )
    finally:
        upload.close()
    assert job.status == ImportStatus.PREVIEWED, job.errors
    assert job.sha256 == hashlib.sha256(data).hexdigest()
    with job.file.open("rb") as kept:
        assert kept.read() == data
