"""Checks every PDF test uses: all fonts embedded, and the first page renders Chinese text on a
machine that has no Chinese font at all (poppler with an empty fontconfig)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

EMPTY_FONTCONFIG = (
    '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n'
)


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _fonts_of(resources, seen: set[int]):
    resources = _resolve(resources) or {}
    for font in (_resolve(resources.get("/Font")) or {}).values():
        yield _resolve(font)
    for xobject in (_resolve(resources.get("/XObject")) or {}).values():
        xobject = _resolve(xobject)
        if id(xobject) in seen or "/Resources" not in xobject:
            continue
        seen.add(id(xobject))
        yield from _fonts_of(xobject["/Resources"], seen)


def font_report(data: bytes) -> dict[str, bool]:
    """Every font (and descendant font) of every page: its base name and whether it is embedded."""
    report = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in _fonts_of(page.get("/Resources"), set()):
            fonts = [font] + [_resolve(f) for f in font.get("/DescendantFonts", [])]
            for each in fonts:
                if each.get("/Subtype") == "/Type0":
                    continue  # its glyphs live in the descendant font, checked in this loop
                descriptor = _resolve(each.get("/FontDescriptor")) or {}
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                report[str(each.get("/BaseFont"))] = embedded
    return report


def assert_fonts_embedded(data: bytes) -> None:
    report = font_report(data)
    assert report, "the PDF has no fonts at all"
    assert all(report.values()), f"fonts not embedded: {[n for n, e in report.items() if not e]}"
    if shutil.which("pdffonts"):
        with tempfile.TemporaryDirectory() as tmp:
            out = _poppler(["pdffonts", "{pdf}"], data, Path(tmp))
        rows = out.splitlines()[2:]
        assert rows and all(re.split(r"\s+", row)[-5] == "yes" for row in rows), out


def _poppler(argv: list[str], data: bytes, tmp: Path) -> str:
    """Run a poppler tool on `data` with no font configuration, so no system font can stand in."""
    tmp.mkdir(parents=True, exist_ok=True)
    pdf = tmp / "check.pdf"
    pdf.write_bytes(data)
    conf = tmp / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG)
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "FONTCONFIG_PATH": str(tmp)}
    argv = [str(pdf) if a == "{pdf}" else a for a in argv]
    return subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout


def _ink(path: Path, top_fraction: float) -> int:
    """Dark pixels in the top part of the greyscale page image pdftoppm wrote (binary PGM)."""
    raw = path.read_bytes()
    magic, width, height, depth, pixels = raw.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    top = pixels[: int(width) * int(int(height) * top_fraction)]
    return sum(1 for value in top if value < 128)


def assert_renders_chinese(data: bytes, title: str, tmp: Path, top_fraction: float = 0.25) -> None:
    """The first page, rendered by poppler without any system font, gives `title` back as text
    and has ink in its top part (where the title is)."""
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.fail("poppler-utils (pdftoppm, pdftotext) must be installed")
    text = _poppler(["pdftotext", "-f", "1", "-l", "1", "{pdf}", "-"], data, tmp)
    assert re.sub(r"\s+", "", title) in re.sub(r"\s+", "", text)
    argv = ["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-gray", "{pdf}", str(tmp / "p")]
    _poppler(argv, data, tmp)
    (page,) = tmp.glob("p*.pgm")
    assert _ink(page, top_fraction) > 50, "the title area rendered blank"


def assert_every_glyph_present(data: bytes) -> None:
    """Every character on every page has a glyph in the embedded font (nothing drawn as tofu)."""
    from fontTools.ttLib import TTFont

    from tuanxue.core.documents.fonts import font_file

    cmap = TTFont(font_file(), lazy=True).getBestCmap()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    missing = {c for c in text if not c.isspace() and ord(c) not in cmap}
    assert missing == set(), f"characters without a glyph: {sorted(missing)}"


def assert_pdf_sound(data: bytes, title: str, tmp: Path) -> None:
    assert data.startswith(b"%PDF")
    assert_fonts_embedded(data)
    assert_every_glyph_present(data)
    assert_renders_chinese(data, title, tmp)
