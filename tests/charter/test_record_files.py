"""Files attached to documents: real files only, stored under a random name, handed out to the
school offices as downloads, replaced and removed with the record, each change audited."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from tuanxue.charter import services as charter_services
from tuanxue.charter.models import Attestation
from tuanxue.charter.records import services
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role

DAY = dt.date(2020, 6, 29)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def test_a_real_pdf_is_kept_and_handed_to_readers(client, kit, media):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    content = pdf_bytes("Minutes of the Party committee")
    client.force_login(league)
    response = client.post(
        reverse("records:document_new", args=[kit.school.code]),
        {
            "item_code": "12",
            "title": "校党委会会议纪要",
            "dated": DAY.isoformat(),
            "summary": "",
            "file": SimpleUploadedFile("纪要.pdf", content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    doc = Attestation.objects.get()
    assert doc.file_name == "纪要.pdf"
    assert doc.file.name.startswith(f"attestations/{kit.school.pk}/")
    assert "纪要" not in doc.file.name  # stored under a random name
    event = AuditEvent.objects.get(action="charter.attestation.recorded")
    assert event.new["file"] == "纪要.pdf" and len(event.new["sha256"]) == 64

    url = reverse("records:document_file", args=[kit.school.code, doc.pk])
    client.force_login(kit.user(role=Role.STUDENT_AFFAIRS))
    download = client.get(url)
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body == content
    assert "attachment" in download["Content-Disposition"]
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert "Party committee" in text
    listing = client.get(reverse("records:documents", args=[kit.school.code])).content.decode()
    assert url in listing and "纪要.pdf" in listing


@pytest.mark.parametrize("who", ["student", "college", "other_school"])
def test_outsiders_cannot_download(client, kit, other_kit, who):
    doc = charter_services.attestation_add(
        actor=None,
        school=kit.school,
        item_code="12",
        title="纪要",
        dated=DAY,
        upload=SimpleUploadedFile("a.pdf", pdf_bytes("x")),
    )
    user = {
        "student": lambda: kit.user(student=True),
        "college": lambda: kit.user(role=Role.COLLEGE_LEAGUE),
        "other_school": lambda: other_kit.user(role=Role.SCHOOL_LEAGUE),
    }[who]()
    client.force_login(user)
    url = reverse("records:document_file", args=[kit.school.code, doc.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("setup.exe", b"MZ\x90\x00", "setup.exe"),
        ("纪要.pdf", b"MZ\x90\x00 not a pdf", "PDF"),
        ("空.pdf", b"", "空.pdf"),
        ("scan.png", pdf_bytes("x"), "PNG"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(kit, media, name, content, says):
    with pytest.raises(DomainError) as err:
        charter_services.attestation_add(
            actor=None,
            school=kit.school,
            item_code="12",
            title="纪要",
            dated=DAY,
            upload=SimpleUploadedFile(name, content),
        )
    assert err.value.field == "file" and says in err.value.message
    assert not Attestation.objects.exists()
    assert stored_files(media) == []


def test_refused_page_upload_names_the_file(client, kit, media):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(
        reverse("records:document_new", args=[kit.school.code]),
        {
            "item_code": "12",
            "title": "校党委会会议纪要",
            "dated": DAY.isoformat(),
            "file": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert response.status_code == 200
    assert "virus.exe" in response.content.decode()
    assert not Attestation.objects.exists() and stored_files(media) == []


def test_replacing_and_deleting_remove_the_old_file(kit, media, django_capture_on_commit_callbacks):
    doc = charter_services.attestation_add(
        actor=None,
        school=kit.school,
        item_code="12",
        title="纪要",
        dated=DAY,
        upload=SimpleUploadedFile("v1.pdf", pdf_bytes("one")),
    )
    first = media / doc.file.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.attestation_update(
            actor=None,
            attestation=doc,
            item_code="12",
            title="纪要",
            dated=DAY,
            summary="",
            upload=SimpleUploadedFile("v2.pdf", pdf_bytes("two")),
        )
    doc.refresh_from_db()
    assert not first.exists() and (media / doc.file.name).exists()
    assert doc.file_name == "v2.pdf"
    changed = AuditEvent.objects.get(action="charter.attestation.changed")
    assert changed.old == {"file": "v1.pdf"} and changed.new["file"] == "v2.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        services.attestation_delete(actor=None, attestation=doc)
    assert stored_files(media) == []
