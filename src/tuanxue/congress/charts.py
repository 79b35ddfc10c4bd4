"""The result chart of a poll: votes per candidate (or yes/no/abstain) against the majority line."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _

from tuanxue.congress.models import Majority, Poll, PollKind
from tuanxue.congress.polls.results import Result
from tuanxue.core.documents.charts import Bar, Chart, hbar_chart


def majority_line(poll: Poll, result: Result) -> float:
    """The votes to pass: above half the valid ballots for an election; above half or two thirds
    of the motion's base for a motion (the line is the bound, the rule says above or at)."""
    if poll.kind != PollKind.MOTION:
        return float(Fraction(result.valid, 2))
    share = Fraction(2, 3) if poll.motion.majority == Majority.TWO_THIRDS else Fraction(1, 2)
    return round(float(result.base * share), 2)


def poll_chart(poll: Poll, result: Result) -> Chart:
    if poll.kind == PollKind.MOTION:
        bars = [
            Bar(_("Yes"), result.yes, ok=bool(result.adopted)),
            Bar(_("No"), result.no),
            Bar(_("Abstain"), result.abstain),
        ]
        label = _("Vote")
    else:
        bars = [Bar(row["name"], row["votes"], ok=row["elected"]) for row in result.votes]
        bars += [
            Bar(_("write-in: %(name)s") % {"name": name}, n) for name, n in result.write_ins.items()
        ]
        label = _("Candidate")
    return hbar_chart(
        title=_("Votes in %(poll)s") % {"poll": poll.title},
        bars=bars,
        label_header=label,
        value_header=_("Votes"),
        reference=majority_line(poll, result),
        reference_label=_("majority line"),
    )
