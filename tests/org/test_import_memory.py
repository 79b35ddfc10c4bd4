"""The 600,000-row upload through the page: refused by the row limit, with nothing written.

The peak memory of imports at the limits (the 50 MB upload cap, 100,000 rows) is measured by
``bench/import_limits.py``, which prints it against the 200 MB bound.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.builders.org import counts, handmade_xlsx
from tuanxue.org.models import ImportJob, ImportStatus, Role


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_600000_row_upload_is_refused_by_the_row_limit_and_writes_nothing(
    client, kit, media_in_tmp
):
    """Through the upload page: a small file whose sheet holds 600,000 rows is refused at
    once with the limit named, and nothing is imported."""
    row = b'<row><c t="inlineStr"><is><t>1</t></is></c><c t="n"><v>2</v></c></row>'
    content = handmade_xlsx(row * 600_000)
    assert len(content) < 400 * 1024
    client.force_login(kit.user("registrar", role=Role.SCHOOL_LEAGUE))
    before = counts()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("org:imports", kwargs={"school": kit.school.code}),
        {"kind": "students", "file": SimpleUploadedFile("600k.xlsx", content)},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED
    [error] = job.errors
    assert "100000" in error["message"] and "IMPORT_MAX_ROWS" in error["message"]
    page = client.get(response.url)
    assert "IMPORT_MAX_ROWS" in page.content.decode()
    after = counts()
    # Only the refused job's audit trail may differ; no student, class or college was written.
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
