"""The one place PDFs get their Chinese font: every PDF builder calls `cjk_font()` for a font name."""

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

_CID_FONT = "STSong-Light"


def cjk_font() -> str:
    """Register the Chinese font with reportlab (once) and return its name for styles."""
    if _CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_CID_FONT))
    return _CID_FONT
