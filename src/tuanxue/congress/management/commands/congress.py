"""``tuanxue congress quota --school CODE [--date D] [--json]``: delegate quotas per college.

``tuanxue congress recount PACK.zip [--json]``: recount a poll from its audit pack alone.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tuanxue.congress.scrutiny import recount as independent
from tuanxue.congress.sessions.quota import college_quotas
from tuanxue.core.commands import parse_date, school_by_code


class Command(BaseCommand):
    help = (
        "Student congress tools. `congress quota`: the delegate quota of each college. "
        "`congress recount PACK.zip`: recount a poll from its audit pack alone."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        quota = sub.add_parser(
            "quota",
            help="quota per college = ceil(charter ratio × students of the college)",
        )
        quota.add_argument("--school", help="school code (may be left out when there is one)")
        quota.add_argument(
            "--date",
            help="session date YYYY-MM-DD: the charter in force then sets the ratio "
            "(default: today). Students are counted from the current roster.",
        )
        quota.add_argument("--json", action="store_true", help="print the result as JSON")
        again = sub.add_parser(
            "recount",
            help="recount a poll from its audit pack's published files, with separate code, "
            "and compare with the published result",
        )
        again.add_argument("pack", help="the audit pack (ZIP) downloaded from the result page")
        again.add_argument("--json", action="store_true", help="print the recount as JSON")
        again.add_argument("--language", help="zh-hans (default) or en")

    def handle(self, *args, **options):
        if options["subcommand"] == "quota":
            self._quota(options)
        elif options["subcommand"] == "recount":
            with translation.override(options.get("language") or settings.LANGUAGE_CODE):
                self._recount(options)

    def _recount(self, options):
        path = Path(options["pack"])
        try:
            pack = independent.read_pack(path.read_bytes())
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from exc
        except independent.PackError as exc:
            raise CommandError(
                _("%(path)s is not a complete audit pack (%(reason)s).")
                % {"path": path, "reason": exc}
            ) from exc
        counted = independent.recount(pack)
        if not pack["poll"].get("count_complete", True):
            self.stderr.write(_("The paper ballots are still being counted."))
        differences = independent.compare(counted, pack["result"])
        if options.get("json"):
            self.stdout.write(
                json.dumps(
                    {"recount": counted, "differences": differences},
                    ensure_ascii=False,
                    indent=2,
                    default=str,
                )
            )
        else:
            self._recount_text(pack["poll"], counted)
        if differences:
            for name, mine, theirs in differences:
                self.stderr.write(
                    _("Differs: %(name)s — recount %(mine)s, published %(theirs)s")
                    % {"name": name, "mine": mine, "theirs": theirs}
                )
            raise CommandError(_("The recount does not agree with the published result."))
        if not options.get("json"):
            self.stdout.write(_("The recount agrees with the published result."))

    def _recount_text(self, poll, counted):
        yes_no = {True: _("yes"), False: _("no")}
        self.stdout.write(_("Recount of %(title)s") % {"title": poll.get("title", "")})
        self.stdout.write(
            _("Ballots returned %(returned)s, valid %(valid)s, invalid %(invalid)s") % counted
        )
        if counted["kind"] == "motion":
            self.stdout.write(_("Yes %(yes)s, no %(no)s, abstain %(abstain)s") % counted)
            self.stdout.write(
                _("Quorum met: %(quorum)s; adopted: %(adopted)s")
                % {
                    "quorum": yes_no[counted["quorum_met"]],
                    "adopted": yes_no[counted["adopted"]],
                }
            )
            return
        names = {str(c["id"]): c["name"] for c in poll["candidates"]}
        for cid, n in counted["votes"].items():
            self.stdout.write(
                _("%(name)s: %(votes)s votes") % {"name": names.get(cid, cid), "votes": n}
            )
        if not counted["election_valid"]:
            self.stdout.write(_("The election is void: more ballots returned than issued."))
            return
        self.stdout.write(_("Elected: %(names)s") % {"names": "、".join(counted["winners"]) or "—"})
        if counted["runoff_seats"]:
            self.stdout.write(
                _("Runoff for %(seats)s seat(s) among: %(names)s")
                % {
                    "seats": counted["runoff_seats"],
                    "names": "、".join(
                        names.get(str(c), str(c)) for c in counted["runoff_candidates"]
                    ),
                }
            )

    def _quota(self, options):
        school = school_by_code(options.get("school"))
        day = timezone.localdate()
        if options.get("date"):
            day = parse_date(options["date"])
        table = college_quotas(school, day)
        if options.get("json"):
            self.stdout.write(json.dumps(table.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("%(school)s on %(day)s: one delegate per %(ratio)s of students")
            % {"school": school.name, "day": day, "ratio": table.ratio_percent}
        )
        self.stdout.write("\t".join([_("College"), _("Students"), _("Quota")]))
        for row in table.rows:
            self.stdout.write(f"{row.college.name}\t{row.students}\t{row.quota}")
        self.stdout.write(f"{_('Total')}\t{table.students}\t{table.total}")
