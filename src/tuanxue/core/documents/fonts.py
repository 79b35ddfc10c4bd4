"""The one place PDFs get their Chinese font: every PDF builder calls `cjk_font()` for a font name.

The font is Noto Sans SC (SIL Open Font License 1.1), installed from PyPI with the package
``pylopdf-fonts-zh-cn``. That package ships it as OpenType with PostScript (CFF) outlines, which
reportlab cannot embed, so the first call converts it once to TrueType outlines (fontTools: every
cubic curve becomes quadratic curves within one font unit) and keeps the result in
``VAR_DIR/fonts/``. reportlab then embeds only the glyphs a document uses (a subset), so every
PDF renders the same in poppler, PDFium and pdf.js on a machine without any Chinese font.

``tuanxue fonts`` builds the cached file ahead of time (``make demo`` and ``make test`` run it), so
no request waits for the conversion.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "NotoSansSC"
# Bump when the conversion below changes, so every cached file is rebuilt.
_CONVERTER_VERSION = "1"
_lock = threading.Lock()


def source_path() -> Path:
    """The OpenType file the font package installs."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


def font_file() -> Path:
    """Where the converted TrueType file lives; the name changes with the source and converter."""
    source = source_path()
    stamp = f"{source.name}:{source.stat().st_size}:{_CONVERTER_VERSION}"
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:12]
    return Path(settings.VAR_DIR) / "fonts" / f"NotoSansSC-Regular-{digest}.ttf"


def _convert(source: Path, target: Path) -> None:
    """Write `source` (CFF outlines) to `target` with TrueType (glyf) outlines."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont as FontFile
    from fontTools.ttLib import newTable

    font = FontFile(source)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    outlines = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        # PostScript contours run the other way round from TrueType ones.
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        outlines[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = outlines
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(target)


def ensure_font_file() -> Path:
    """The converted font file, built once (other processes wait for the one building it)."""
    target = font_file()
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not target.is_file():
                partial = target.with_suffix(f".{os.getpid()}.part")
                try:
                    _convert(source_path(), partial)
                    os.replace(partial, target)
                finally:
                    partial.unlink(missing_ok=True)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target


def cjk_font() -> str:
    """Register the Chinese font with reportlab (once) and return its name for styles.

    Builders also pass the name as the canvas's initial font, so no standard (non-embedded)
    font such as Helvetica is ever written into a PDF.
    """
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        with _lock:
            if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(FONT_NAME, str(ensure_font_file())))
    return FONT_NAME
