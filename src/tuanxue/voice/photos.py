"""Photos attached to a demand: type and size limits, and a re-encode that drops EXIF (and with it
any GPS position), XMP and text chunks. Only the pixels survive."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from tuanxue.core.errors import DomainError
from tuanxue.voice.models import DemandPhoto

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
MAX_PIXELS = 40_000_000


@dataclass
class CleanPhoto:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_photo(upload) -> CleanPhoto:
    """Check one upload and return its pixels re-encoded without metadata."""
    name = getattr(upload, "name", "") or _("photo")
    size = getattr(upload, "size", None)
    if size is not None and size > DemandPhoto.MAX_BYTES:
        raise DomainError(
            _("%(name)s is larger than 5 MB.") % {"name": name}, field="photos", code="invalid"
        )
    raw = upload.read()
    if len(raw) > DemandPhoto.MAX_BYTES:
        raise DomainError(_("%(name)s is larger than 5 MB.") % {"name": name}, field="photos")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt = probe.format
            if fmt not in FORMATS:
                raise DomainError(
                    _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name},
                    field="photos",
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError(
                    _("%(name)s has too many pixels.") % {"name": name}, field="photos"
                )
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(
            _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}, field="photos"
        ) from None
    content_type, extension = FORMATS[fmt]
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    # A fresh image holds the pixels only: no info dict, no EXIF, no XMP, no text chunks.
    bare = Image.new(upright.mode, upright.size)
    bare.paste(upright)
    if upright.mode == "P":
        bare.putpalette(upright.getpalette())
    out = io.BytesIO()
    options = {"quality": 88} if fmt in ("JPEG", "WEBP") else {}
    bare.save(out, format=fmt, **options)
    return CleanPhoto(out.getvalue(), content_type, extension, bare.width, bare.height)


def clean_photos(uploads) -> list[CleanPhoto]:
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > DemandPhoto.MAX_COUNT:
        raise DomainError(
            _("Attach at most %(n)d photos.") % {"n": DemandPhoto.MAX_COUNT}, field="photos"
        )
    return [clean_photo(u) for u in uploads]


def save_photos(demand, photos: list[CleanPhoto]) -> None:
    for number, photo in enumerate(photos, start=1):
        row = DemandPhoto(
            demand=demand,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
        )
        row.image.save(
            f"d{demand.pk}-{number}.{photo.extension}", ContentFile(photo.data), save=False
        )
        row.save()
