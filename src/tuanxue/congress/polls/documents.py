"""Poll documents as PDF (reportlab, the embedded Chinese font of ``core.pdffonts``): the result
sheet and the
printable paper ballot."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tuanxue.congress.models import Poll, PollKind
from tuanxue.congress.polls.results import poll_result
from tuanxue.core.documents.fonts import cjk_font


def _styles():
    body = ParagraphStyle("b", fontName=cjk_font(), fontSize=11, leading=17, wordWrap="CJK")
    return {
        "title": ParagraphStyle("t", parent=body, fontSize=17, leading=25, alignment=TA_CENTER),
        "sub": ParagraphStyle("s", parent=body, fontSize=10, alignment=TA_CENTER, spaceAfter=8),
        "body": body,
        "cell": ParagraphStyle("c", parent=body, fontSize=10, leading=14),
    }


def _table(rows, widths):
    st = _styles()
    data = [[Paragraph(escape(str(c)), st["cell"]) for c in row] for row in rows]
    table = Table(data, colWidths=[w * cm for w in widths])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),  # not Helvetica, never embedded
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _build(story) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        initialFontName=cjk_font(),
    )
    doc.build(story)
    return out.getvalue()


def result_sheet_pdf(poll: Poll) -> bytes:
    st = _styles()
    result = poll_result(poll)
    session = poll.session
    story = [
        Paragraph(escape(_("Result sheet: %(title)s") % {"title": poll.title}), st["title"]),
        Paragraph(
            escape(f"{session.name} · {session.held_on:%Y-%m-%d} · {session.venue}"), st["sub"]
        ),
        _table(
            [
                [
                    _("Entitled"),
                    _("Present"),
                    _("Issued"),
                    _("Returned"),
                    _("Valid"),
                    _("Invalid"),
                ],
                [
                    result.entitled,
                    result.present,
                    result.issued,
                    result.returned,
                    result.valid,
                    result.invalid,
                ],
            ],
            [2.8] * 6,
        ),
        Spacer(1, 10),
    ]
    if poll.kind == PollKind.MOTION:
        story.append(
            _table(
                [
                    [_("Yes"), _("No"), _("Abstain"), _("Base"), _("Quorum present")],
                    [
                        result.yes,
                        result.no,
                        result.abstain,
                        result.base,
                        _("yes") if result.quorum_met else _("no"),
                    ],
                ],
                [3.3] * 5,
            )
        )
        verdict = _("The motion is adopted.") if result.adopted else _("The motion is not adopted.")
        story += [Spacer(1, 8), Paragraph(escape(verdict), st["body"])]
    else:
        rows = [[_("No."), _("Candidate"), _("Votes"), _("Elected")]]
        for i, row in enumerate(result.votes, start=1):
            rows.append([i, row["name"], row["votes"], _("elected") if row["elected"] else ""])
        for name, n in result.write_ins.items():
            rows.append(["", _("write-in: %(name)s") % {"name": name}, n, ""])
        story.append(_table(rows, [1.5, 7, 3, 3]))
        story.append(Spacer(1, 8))
        if not result.election_valid:
            line = _("The election is void: more ballots were returned than issued.")
        else:
            line = _("Elected: %(names)s") % {"names": "、".join(result.winners) or "—"}
        story.append(Paragraph(escape(line), st["body"]))
        if result.runoff_seats:
            story.append(
                Paragraph(
                    escape(_("%(n)s seat(s) go to a runoff round.") % {"n": result.runoff_seats}),
                    st["body"],
                )
            )
    story += [
        Spacer(1, 8),
        Paragraph(escape(_("Rule: %(rule)s") % {"rule": result.rule}), st["body"]),
        Spacer(1, 12),
        Paragraph(escape(_("Scrutineers' signatures")), st["body"]),
    ]
    sign_rows = [[_("Scrutineer"), _("Signed at")]]
    for s in poll.signoffs.select_related("scrutineer").order_by("signed_at"):
        name = s.scrutineer.get_full_name() or s.scrutineer.get_username()
        sign_rows.append([name, f"{timezone.localtime(s.signed_at):%Y-%m-%d %H:%M}"])
    if len(sign_rows) == 1:
        sign_rows.append([_("(not signed yet)"), ""])
    story.append(_table(sign_rows, [8, 6]))
    return _build(story)


def paper_ballot_pdf(poll: Poll) -> bytes:
    st = _styles()
    session = poll.session
    story = [
        Paragraph(escape(poll.title), st["title"]),
        Paragraph(escape(f"{session.name} · {session.held_on:%Y-%m-%d}"), st["sub"]),
    ]
    if poll.kind == PollKind.MOTION:
        instructions = _(
            "Mark one box only: yes, no or abstain. A ballot marked otherwise is invalid."
        )
        rows = [[_("Yes"), _("No"), _("Abstain")], ["", "", ""]]
        story += [Paragraph(escape(instructions), st["body"]), Spacer(1, 8)]
        table = _table(rows, [5, 5, 5])
        table.setStyle(TableStyle([("ROWHEIGHT", (0, 1), (-1, 1), 40)]))
        story.append(table)
    else:
        instructions = _(
            "Candidates are listed in surname stroke order. Mark ○ in the box of at most "
            "%(seats)s candidates. A ballot marking more names than seats is invalid."
        ) % {"seats": poll.seats}
        if poll.write_in:
            instructions += " " + _("You may write in one other name on the last line.")
        story += [Paragraph(escape(instructions), st["body"]), Spacer(1, 8)]
        rows = [[_("No."), _("Candidate"), _("Mark")]]
        for c in poll.candidates.select_related("student").order_by("order"):
            rows.append([c.order, c.student.name, "□"])
        if poll.write_in:
            rows.append(["", _("Write-in: ____________"), "□"])
        story.append(_table(rows, [2, 9, 3]))
    return _build(story)
