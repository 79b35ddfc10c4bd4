"""The transcript as a PDF (A4): school header, the student's details, a table per area with
totals against the requirement, union and congress service, the QR code of the verification
page, the verification code and the hash. Built from an issued transcript's frozen content."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from tuanxue.core.documents.fonts import cjk_font
from tuanxue.org.models import Title
from tuanxue.review.models import Grade
from tuanxue.transcript.models import IssuedTranscript
from tuanxue.transcript.selectors import area_label, area_totals, entries_by_area


def verify_path(code: str) -> str:
    return reverse("verify", args=[code])


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + verify_path(code)


def _styles():
    font = cjk_font()
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("t", parent=body, fontSize=18, leading=26, alignment=TA_CENTER),
        "sub": ParagraphStyle("s", parent=body, fontSize=11, alignment=TA_CENTER, spaceAfter=6),
        "h2": ParagraphStyle("h", parent=body, fontSize=12, leading=18, spaceBefore=8),
        "body": body,
        "cell": ParagraphStyle("c", parent=body, fontSize=9, leading=12),
        "small": ParagraphStyle("m", parent=body, fontSize=8, leading=11),
    }


def _table(rows, widths, st):
    data = [[Paragraph(escape(str(c)), st["cell"]) for c in row] for row in rows]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


class QRCode(Flowable):
    """The QR code as filled squares straight on the canvas (vector, sharp in print; no
    graphics renderer, which would bring in a font of its own)."""

    def __init__(self, data: str, size: float):
        super().__init__()
        self.matrix = [list(row) for row in segno.make(data, error="m").matrix]
        self.width = self.height = size

    def draw(self) -> None:
        border = 2
        module = self.width / (len(self.matrix) + 2 * border)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for r, row in enumerate(self.matrix):
            for c, dark in enumerate(row):
                if dark:
                    canvas.rect(
                        (c + border) * module,
                        self.height - (r + border + 1) * module,
                        module,
                        module,
                        stroke=0,
                        fill=1,
                    )


def _yes(met: bool) -> str:
    return _("met") if met else _("not yet met")


def transcript_pdf(issued: IssuedTranscript, *, photo: bytes | None = None) -> bytes:
    """The PDF of an issued transcript; ``photo`` (JPEG/PNG bytes) is printed when given."""
    st = _styles()
    content = issued.content
    student = content["student"]
    story = [
        Paragraph(escape(content["school"]["name"]), st["title"]),
        Paragraph(escape(_("Second-classroom transcript")), st["sub"]),
    ]
    details = [
        [_("Name"), student["name"], _("Student number"), student["student_no"]],
        [_("College"), student["college"], _("Major"), student["major"]],
        [_("Class"), student["class"], _("Grade"), str(student["grade"])],
    ]
    details_table = _table(details, [2.4, 4.2, 2.4, 4.2], st)
    if photo:
        image = Image(io.BytesIO(photo), width=2.5 * cm, height=3.5 * cm, kind="proportional")
        story.append(
            Table(
                [[details_table, image]],
                colWidths=[13.4 * cm, 3 * cm],
                style=TableStyle([("FONTNAME", (0, 0), (-1, -1), cjk_font())]),
            )
        )
    else:
        story.append(details_table)

    story.append(Paragraph(escape(_("Totals per area")), st["h2"]))
    rows = [[_("Area"), _("Hours"), _("Points"), _("Required hours"), _("Requirement")]]
    for total in area_totals(content):
        rows.append([total.label, total.hours, total.points, total.required, _yes(total.met)])
    rows.append([_("Total"), content["total_hours"], "", "", _yes(content["requirements_met"])])
    story.append(_table(rows, [4.6, 2.6, 2.6, 3.0, 3.6], st))

    for _area, label, entries in entries_by_area(content):
        story.append(Paragraph(escape(label), st["h2"]))
        rows = [[_("Date"), _("Source"), _("Amount")]]
        for e in entries:
            unit = _("hours") if e["unit"] == "hours" else _("points")
            prefix = _("Correction: ") if e["correction"] else ""
            rows.append([e["date"], prefix + e["label"], f"{e['amount']} {unit}"])
        story.append(_table(rows, [2.6, 11.0, 2.8], st))

    titles = dict(Title.choices)
    if content["posts"]:
        story.append(Paragraph(escape(_("Union service")), st["h2"]))
        rows = [[_("Post"), _("Term"), _("Semesters served")]]
        for post in content["posts"]:
            term = f"{post['start']} – {post['end'] or _('now')}"
            rows.append(
                [
                    f"{post['union']} {post['body']} {titles.get(post['title'], post['title'])}",
                    term,
                    "、".join(post["semesters"]) or "—",
                ]
            )
        story.append(_table(rows, [7.4, 4.6, 4.4], st))
        story.append(
            Paragraph(
                escape(
                    _("%(hours)s hours for each semester served (at least half of it in a post).")
                    % {"hours": content["rules"]["union_hours_per_semester"]}
                ),
                st["small"],
            )
        )
    if content["reviews"]:
        story.append(Paragraph(escape(_("Duty review results")), st["h2"]))
        grades = dict(Grade.choices)
        rows = [[_("Semester"), _("Union"), _("Post"), _("Grade")]]
        for r in content["reviews"]:
            rows.append([r["semester"], r["union"], r["post"], grades.get(r["grade"], r["grade"])])
        story.append(_table(rows, [3.0, 5.0, 5.4, 3.0], st))
    if content["congress"]:
        story.append(Paragraph(escape(area_label("congress_service")), st["h2"]))
        rows = [[_("Session"), _("Date"), _("Hours")]]
        rows += [[c["session"], c["held_on"], c["hours"]] for c in content["congress"]]
        story.append(_table(rows, [9.4, 3.6, 3.4], st))

    url = verify_url(issued.code)
    issued_on = timezone.localtime(issued.issued_at).strftime("%Y-%m-%d %H:%M")
    verification = [
        Paragraph(escape(_("Verification code: %(code)s") % {"code": issued.code}), st["body"]),
        Paragraph(escape(_("Issued: %(at)s") % {"at": issued_on}), st["small"]),
        Paragraph(escape(_("Check it at %(url)s") % {"url": url}), st["small"]),
        Paragraph(escape("SHA-256: " + issued.content_hash), st["small"]),
    ]
    story += [
        Spacer(1, 12),
        Table(
            [[verification, QRCode(url, 3.2 * cm)]],
            colWidths=[13.0 * cm, 3.4 * cm],
            style=TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), cjk_font())]
            ),
        ),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=f"{student['name']} {_('Second-classroom transcript')}",
        # Not reportlab's default Helvetica: every font in the file is the embedded CJK one.
        initialFontName=cjk_font(),
    )
    doc.build(story)
    return out.getvalue()
