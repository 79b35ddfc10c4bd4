"""Files attached to documents: which kinds are taken, how large, and that the bytes are what the
name says (a renamed program is refused)."""

from __future__ import annotations

import hashlib
import pathlib

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError

# suffix -> the bytes such a file starts with
KINDS = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
MAX_BYTES = 20 * 1024 * 1024


def check_upload(upload) -> str:
    """The upload's SHA-256, or a DomainError on the ``file`` field naming what is wrong."""
    name = pathlib.Path(upload.name or "").name
    suffix = pathlib.Path(name).suffix.lower()
    if suffix not in KINDS:
        raise DomainError(
            _(
                "%(name)s is not a file this page takes; attach a PDF, a picture (PNG, JPG), a Word "
                "or an Excel file."
            )
            % {"name": name},
            field="file",
        )
    if not upload.size:
        raise DomainError(_("%(name)s is empty.") % {"name": name}, field="file")
    if upload.size > MAX_BYTES:
        raise DomainError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // 2**20},
            field="file",
        )
    upload.seek(0)
    head = upload.read(16)
    if not any(head.startswith(magic) for magic in KINDS[suffix]):
        raise DomainError(
            _("%(name)s is not really a %(kind)s file.")
            % {"name": name, "kind": suffix[1:].upper()},
            field="file",
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def remove_after_commit(stored_name: str) -> None:
    """Delete a stored file once the change that dropped it has committed."""
    if stored_name:
        transaction.on_commit(lambda: default_storage.delete(stored_name))
