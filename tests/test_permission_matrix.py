"""The permission matrix: every named URL and every API operation, for every role.

One world is built once for the module (``tests/matrix_world.py``: a school with two colleges, a
union with its presidium and a department, an open round with an application, a filed and
approved activity with a volunteer project, a sign-up and an attendance row, a proposal, ledger
entries, a refused import, a resignation request, a congress session on notice with delegates, an
objection, a motion and a closed, signed poll; a staff record with an account and a role grant,
a background job, a compliance document and a congress record, a semester; an open duty review
with its panel and reviewees, a sanction with its removal proposal, a study session; the student
voice set up with a demand, its photo and an abuse report; a report heard by the Party committee
with its minutes and a returned filing of the union; a task sent to every college, forwarded to
the class of the records' college and reported done at both levels with a file, and a class role
of this term; a second school; one user per role).
Each test runs in its own savepoint, so a POST that succeeds changes nothing for the next one.

The roles (``ROLES``): ``anon``, ``student``, ``staff`` (union staff member), ``presidium``,
``league`` (school League committee), ``affairs`` (Student Affairs), ``college`` (the League
committee of another college than the records'), ``outsider`` (League committee of another
school), ``federation``, ``scrutineer`` (a school office holder who signed the poll's result) and
``delegate`` (a confirmed, checked-in delegate who voted, and their class's study committee
member: a reader of the class's notices).

The rules (``RULES``) name who may do what; ``ok`` stands for the entry's success status. The
project's rule for the rest: anonymous -> 302 to the login page (401 in the API), a record one may
not see -> 404, one may see but not change -> 403.

**Adding a URL** is one line in ``PAGES``::

    "app:name": E("reader", post="league"),          # GET rule, rule of an empty POST
    "app:other": E("post", post="union", p_ok=302),  # POST-only; success redirects
    "app:third": E("league", college=200, post=None),  # per-role override; GET only

``E(get_rule, ok=200, post=rule|None, p_ok=200, data={...}, xfail={cell: reason}, **cells)``:
``role=status`` overrides a GET cell, ``p_role=status`` a POST cell; ``post=None`` means the POST
is not checked (the URL takes no POST, or POSTing logs the client out). ``data`` is the minimal
form sent with the POST (empty by default). Fill the URL's arguments in ``url_kwargs``. An API
operation is one line in ``OPERATIONS`` keyed ``"METHOD /path"``, with ``body`` for a JSON body.

Django's own URLs (``admin:*``) are not listed; an ``api:`` URL that serves operations of the
OpenAPI document is covered by their ``OPERATIONS`` entries; any other skip goes in ``SKIPPED``
with a reason (there is none: a new URL or operation without a row fails the coverage tests).
An argument whose name means another record in some apps (``session_id`` of a duty review,
``record_id`` of a congress record…) is filled by ``kwargs_for``; in an API body, ``"{name}"``
stands for that argument's value. A cell the code answers wrongly by the rule above is not written as it is: it is
marked with ``xfail`` (strict, with the reason) until the view is fixed.

Item 15 of issue 11 is checked last: after the accounts that created the activity, the round and
the import are deleted, every page answers every role without a server error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix_world import ROLES, World
from tuanxue.activities import qr

OK = "ok"
SCHOOL = [r for r in ROLES if r not in ("anon", "outsider")]


def _rule(allowed=(), *, others=403, **cells) -> dict[str, object]:
    """Anonymous -> login, another school -> 404, ``allowed`` -> ok, the rest -> ``others``."""
    row = {"anon": 302, "outsider": 404}
    row.update({r: OK if r in allowed else others for r in SCHOOL})
    row.update(cells)
    return row


RULES: dict[str, dict[str, object]] = {
    # Anyone, logged in or not.
    "public": {r: OK for r in ROLES},
    # Anyone who logged in (the account pages), whatever their school.
    "account": {"anon": 302, **{r: OK for r in ROLES if r != "anon"}},
    # Anyone of the school (and the federation, which sees every school).
    "reader": _rule(SCHOOL),
    # Students' own pages: those with a student record; offices may see the school, not this.
    "own": _rule(("student", "staff", "presidium", "delegate")),
    # A student's own record (code, ledger): who has no student record has none to see.
    "mine": _rule(("student", "staff", "presidium", "delegate"), others=404),
    # The school League committee only.
    "league": _rule(("league",)),
    # Who changes the registry: the League committee and Student Affairs.
    "registry": _rule(("league", "affairs")),
    # The school offices (League committee, Student Affairs, Party committee).
    "offices": _rule(("league", "affairs", "scrutineer")),
    # The school offices and the federation (self-assessment, audit log).
    "assess": _rule(("league", "affairs", "scrutineer", "federation")),
    # Who runs the union's work: its presidium, the League committee, Student Affairs.
    "union": _rule(("presidium", "league", "affairs")),
    # Personal data of a student who holds no post: the school offices; the rest do not see it.
    "personal": _rule(("league", "affairs", "scrutineer"), others=404),
    # Another person's own record: those who manage it see it (403 to change), others 404.
    "managers": _rule(others=404, presidium=403, league=403, affairs=403),
    # The school's compliance records and calendar: the offices and the federation read them;
    # to everyone else of the school they do not exist.
    "records": _rule(("league", "affairs", "federation", "scrutineer"), others=404),
    # ...and the League committee writes the records.
    "records_write": _rule(("league",), others=404, affairs=403, federation=403, scrutineer=403),
    # ...and the registry's managers write the calendar.
    "calendar_write": _rule(("league", "affairs"), others=404, federation=403, scrutineer=403),
    # Party and League oversight (its records and the filings): the school offices, the
    # federation and the school union's presidium read; to the rest of the school they do not
    # exist.
    "oversight": _rule(("presidium", "league", "affairs", "scrutineer", "federation"), others=404),
    # ...the League committee writes the records and decides the filings...
    "oversight_league": _rule(
        ("league",), others=404, presidium=403, affairs=403, scrutineer=403, federation=403
    ),
    # ...and the union's presidium files.
    "oversight_filer": _rule(
        ("presidium",), others=404, league=403, affairs=403, scrutineer=403, federation=403
    ),
    # Notices and tasks are the school's own business: its people see the list; the federation,
    # which reads every school's records, has no part in them.
    "school": _rule(SCHOOL, federation=404),
    # A notice's whole cascade: those who send it (the League committee, the school union's
    # presidium) and the school offices; a college or a class sees only its own copies.
    "notices": _rule(("presidium", "league", "affairs", "scrutineer"), others=404),
    # A class's page: its students (every student of the world is of that class) and the school
    # offices; the League committee of another college and the federation do not see it.
    "class": _rule(SCHOOL, college=404, federation=404),
    # A POST-only action: GET is not allowed once logged in.
    "post": _rule(others=405, outsider=405),
    # A POST-only action refused before the login check.
    "post405": {r: 405 for r in ROLES},
}


@dataclass
class Entry:
    get: dict[str, int]
    post: dict[str, int] | None
    data: dict = field(default_factory=dict)
    xfail: dict[str, str] = field(default_factory=dict)


def _expand(rule: str, ok: int, cells: dict[str, int]) -> dict[str, int]:
    row = {r: (ok if v == OK else v) for r, v in RULES[rule].items()}
    unknown = set(cells) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    row.update(cells)
    return row


def E(get: str, *, ok=200, post=None, p_ok=200, data=None, xfail=None, **cells) -> Entry:
    g = {k: v for k, v in cells.items() if not k.startswith("p_")}
    p = {k[2:]: v for k, v in cells.items() if k.startswith("p_")}
    return Entry(
        get=_expand(get, ok, g),
        post=_expand(post, p_ok, p) if post else None,
        data=data or {},
        xfail=xfail or {},
    )


PAGES: dict[str, Entry] = {
    # -- accounts and the site -------------------------------------------------------------
    "home": E("public", ok=302, post="public", p_ok=302),
    "login": E("public", ok=302, anon=200, post="public", p_ok=302, p_anon=200),
    "logout": E("public", ok=405, post=None),  # POST logs out: not a permission question
    "cas_login": E("public", ok=404),  # campus sign-on is off unless configured
    "cas_logout": E("public", ok=404),
    "set_language": E("public", ok=302, post="public", p_ok=302),
    "core:account": E("account", post="account"),
    "core:notifications": E("account", post="account"),
    "core:notifications_read_all": E("post", post="account", p_ok=302),
    "core:notification_open": E(
        "account", ok=404, student=302, post="account", p_ok=404, p_student=302
    ),
    "core:token_revoke": E("post", post="account", p_ok=404, p_student=302),
    # -- the registry ------------------------------------------------------------------------
    "org:school_home": E("reader", post="reader"),
    "org:structure": E("reader", post="reader"),
    "org:union": E("reader", post="reader"),
    "org:rotation": E("reader", post="reader"),
    "org:colleges": E("reader", post="reader"),
    "org:college": E("reader", post="reader"),
    "org:students": E("personal", college=200, post="personal", p_college=200),  # own college
    "org:student": E("personal", post="personal"),
    "org:department_new": E("registry", post="registry"),
    "org:membership_new": E("registry", post="registry"),
    "org:membership_end": E("registry", post="registry"),
    "org:remit": E("registry", post="registry"),
    "org:audit": E("assess", post="assess"),
    "org:history": E("assess", post="assess"),
    "org:imports": E("registry", post="registry"),
    "org:import_detail": E("registry", post="registry"),
    "org:import_confirm": E("post", post="registry", p_ok=302),
    "org:import_cancel": E("post", post="registry", p_ok=302),
    # -- the charter and the self-assessment -------------------------------------------------
    "charter:compliance": E("reader", post="reader"),
    "charter:versions": E("reader", post="reader"),
    "charter:adopt": E("league", post="league"),
    "charter:assessment": E("assess", post="assess"),
    "charter:assessment_docx": E("assess", post="assess"),
    "charter:assessment_pdf": E("assess", post="assess"),
    "charter:assessment_xlsx": E("assess", post="assess"),
    "charter:assessment_edit": E("league", post="league"),
    "charter:public_table": E("public", post="public"),
    # -- the federation: the province pages only for it; submissions for the school offices
    "federation:province": E("personal", league=404, affairs=404, scrutineer=404, federation=200),
    "federation:province_xlsx": E(
        "personal", league=404, affairs=404, scrutineer=404, federation=200
    ),
    "federation:province_check": E("post", post="personal", p_ok=404, p_federation=302),
    "federation:submissions": E(
        "personal",
        federation=200,
        post="personal",
        p_affairs=403,
        p_scrutineer=403,
        p_federation=403,
    ),
    "federation:submission": E("personal", federation=200),
    "federation:submission_file": E("personal", federation=200),
    "federation:submission_review": E("post", post="personal", p_ok=403, p_federation=302),
    # -- recruitment ---------------------------------------------------------------------------
    "selection:rounds": E("reader", post="reader"),
    "selection:round": E("reader", post="reader"),
    "selection:round_new": E("union", post="union"),
    "selection:round_extend": E("post", post="union"),
    "selection:round_close": E("post", post="union", p_ok=302),
    "selection:round_cancel": E("union", post="union"),
    "selection:apply": E("own", post="own"),
    "selection:my_applications": E("own", post="own"),
    "selection:queue": E("reader", post="reader"),
    # The application's chain: its approvers (presidium, League committee, Student Affairs).
    "selection:application": E(
        "personal",
        presidium=200,
        scrutineer=404,
        post="personal",
        p_presidium=200,
        p_scrutineer=404,
    ),
    "selection:application_decide": E(
        "post",
        post="personal",
        p_presidium=200,
        p_scrutineer=404,
    ),
    "selection:application_election": E("post", post="personal", p_presidium=200, p_scrutineer=404),
    "selection:application_resubmit": E("post", post="managers"),
    "selection:application_retry": E(
        "post", post="personal", p_ok=302, p_presidium=403, p_scrutineer=404
    ),
    "selection:application_withdraw": E("managers", post="managers"),
    # -- leaving posts -------------------------------------------------------------------------
    "exits:my_posts": E("reader", post="reader"),
    "exits:resign": E("reader", ok=403, staff=200, post="reader", p_ok=403, p_staff=200),
    "exits:handover_write": E("reader", ok=403, staff=200, post="reader", p_ok=403, p_staff=200),
    "exits:handover_notes": E(
        "reader", ok=404, staff=200, league=200, post="reader", p_ok=404, p_staff=200, p_league=200
    ),
    "exits:resignations": E(
        "league", presidium=200, college=200, post="league", p_presidium=200, p_college=200
    ),
    "exits:decide": E("league", presidium=200, post="league", p_presidium=200),
    "exits:withdraw": E("post", post="reader", p_ok=403, p_staff=302),
    "exits:union": E("league", post="league"),
    "exits:term_end": E("league", post="league"),
    "exits:remove": E("league", post="league"),
    # -- activities ------------------------------------------------------------------------------
    "activities:catalogue": E("public", post="public"),
    "activities:detail": E("public", post="public"),
    "activities:manage": E(
        "union", college=200, scrutineer=200, post="union", p_college=200, p_scrutineer=200
    ),
    "activities:new": E("union", college=200, post="union", p_college=200),
    "activities:filings": E("offices", post="offices"),
    "activities:edit": E("union", post="union"),
    "activities:submit": E("post", post="union", p_ok=302),
    "activities:cancel": E("union", post="union"),
    # League committee writes, offices read.
    "activities:decide": E("offices", post="league"),
    # Only a participant rates; none of the roles took part.
    "activities:rate": E("post", post="reader", p_ok=403, data={"score": "5"}),
    "activities:proposals": E("reader", post="reader"),
    "activities:proposal_new": E("own", post="own"),
    "activities:proposal_queue": E(
        "league", presidium=200, college=200, post="league", p_presidium=200, p_college=200
    ),
    "activities:proposal": E("reader", post="reader"),
    "activities:proposal_support": E("post", post="own", p_ok=302),
    "activities:proposal_decide": E("league", presidium=200, post="league", p_presidium=200),
    # -- volunteering ----------------------------------------------------------------------------
    "volunteer:projects": E("reader", post="reader"),
    "volunteer:mine": E("own", post="own"),
    "volunteer:project": E("reader", post="reader"),
    "volunteer:signup": E("post405", post="reader", p_ok=302),
    "volunteer:manage": E("union", post="union"),
    "volunteer:draw": E("post405", post="union", p_ok=302, p_anon=302, p_outsider=404),
    "volunteer:close": E("union", post="union"),
    "volunteer:new": E("union", post="union"),
    "volunteer:withdraw": E("managers", post="managers"),
    "volunteer:review": E("post405", post="personal", p_ok=302, p_presidium=302, p_scrutineer=404),
    # -- check-in and the ledger -------------------------------------------------------------------
    "attendance:desk": E("union", scrutineer=200, post="union", p_scrutineer=200),
    "attendance:desk_qr": E("union", post="post", p_anon=302, p_outsider=405),
    "attendance:desk_scan": E("post", post="union", p_ok=302),
    "attendance:desk_hand": E("post", post="union", p_ok=302),
    "attendance:desk_out": E("post", post="union", p_ok=302),
    "attendance:desk_settle": E("post", post="union", p_ok=302),
    "attendance:my_code": E("mine", post="mine"),
    "attendance:scan": E("reader", ok=400, post="reader", p_ok=400),  # the token is not current
    "attendance:ledger": E("mine", post="mine"),
    "attendance:ledger_student": E("personal", post="personal"),
    "attendance:ledger_certify": E(
        "personal", college=200, post="personal", p_ok=403, p_league=302, p_college=403
    ),
    "attendance:ledger_correct": E(
        "personal", ok=403, league=200, post="personal", p_ok=403, p_league=200
    ),
    "attendance:ledger_export": E("personal", college=200, post="personal", p_college=200),
    # -- the congress --------------------------------------------------------------------------------
    "congress:sessions": E("reader", post="reader"),
    "congress:session_new": E("league", post="league"),
    "congress:session": E("reader", post="reader"),
    "congress:milestone_done": E("post405", post="league", p_ok=302, p_anon=302, p_outsider=404),
    "congress:notice": E("post405", post="league", p_ok=302, p_anon=302, p_outsider=404),
    "congress:open": E("post405", post="league", p_ok=302, p_anon=302, p_outsider=404),
    "congress:close": E("post405", post="league", p_ok=302, p_anon=302, p_outsider=404),
    "congress:nominate": E("reader", ok=403, college=200, post="reader", p_ok=403, p_college=200),
    # Delegates are elected by their own college's League committee.
    "congress:elect": E("post405", post="reader", p_ok=403, p_anon=302, p_outsider=404),
    "congress:review": E("league", post="league"),
    "congress:review_delegate": E(
        "post405", post="league", p_ok=302, p_anon=302, p_outsider=404, data={"confirmed": "1"}
    ),
    "congress:object": E("reader", post="reader"),
    "congress:answer": E("post405", post="league", p_ok=302, p_anon=302, p_outsider=404),
    "congress:cards": E("league", post="league"),
    "congress:cards_pdf": E("league", post="league"),
    "congress:card": E("reader", post="reader", p_ok=403, p_delegate=200),
    "congress:door": E("league", presidium=200, post="league", p_presidium=200),
    "congress:projector": E("reader", post="reader"),
    "congress:projector_json": E("reader", post="reader"),
    "polls:session": E("reader", post="reader"),
    "polls:election_new": E("league", post="league"),
    "polls:motion_new": E(
        "league", presidium=200, delegate=200, post="league", p_presidium=200, p_delegate=200
    ),
    "polls:motion": E("reader", post="reader", p_ok=400),  # no action given
    "polls:ballot": E("reader", ok=403, delegate=200, post="reader", p_ok=403, p_delegate=400),
    "polls:receipt": E("reader", post="reader"),
    "polls:control": E("league", post="league", p_ok=302),
    "polls:observe": E("offices", post="offices"),
    "polls:turnout": E("offices", post="offices"),
    "polls:result": E("reader", post="reader"),
    "polls:result_pdf": E("reader", post="reader"),
    "polls:audit_pack": E("reader", post="reader"),
    "polls:paper_pdf": E("offices", post="offices"),
    "polls:tally": E("offices", post="offices"),
    "polls:sign": E("offices", post="offices", p_ok=302),
    "minutes:page": E("reader", post="registry", p_ok=302),
    "minutes:pdf": E("reader", post="reader"),
    "minutes:docx": E("reader", post="reader"),
    # -- the transcript -------------------------------------------------------------------------------
    "transcript:home": E(
        "mine",
        league=200,
        affairs=200,
        college=200,
        post="mine",
        p_league=200,
        p_affairs=200,
        p_college=200,
    ),
    "transcript:staff": E(
        "personal", scrutineer=404, college=200, post="personal", p_scrutineer=404, p_college=200
    ),
    "transcript:student": E("personal", scrutineer=404, post="personal", p_scrutineer=404),
    "transcript:issue": E("post", post="personal", p_ok=302, p_affairs=403, p_scrutineer=404),
    "transcript:pdf": E("personal", scrutineer=404, post="personal", p_scrutineer=404),
    "transcript:revoke": E(
        "personal", affairs=403, scrutineer=404, post="personal", p_affairs=403, p_scrutineer=404
    ),
    "transcript:settings": E(
        "personal",
        scrutineer=404,
        college=200,
        post="personal",
        p_affairs=403,
        p_scrutineer=404,
        p_college=403,
    ),
    # Any League committee starts batches (for its own scope); an empty form comes back.
    "transcript:batch_start": E(
        "post", post="personal", p_ok=302, p_affairs=403, p_scrutineer=404, p_college=302
    ),
    # The batch is the League committee's, for the records' college: the zip is personal data.
    "transcript:batch_detail": E(
        "personal", affairs=404, scrutineer=404, post="personal", p_affairs=404, p_scrutineer=404
    ),
    "transcript:batch_download": E("personal", ok=404, post="personal", p_ok=404),  # not done yet
    "verify": E("public", post="public"),
    # -- passwords (reset by e-mail is off unless EMAIL_HOST is set: 404 for everyone) ---------------
    "password_change": E("account", post="account"),
    "password_reset": E("public", ok=404, post="public", p_ok=404),
    "password_reset_done": E("public", ok=404, post="public", p_ok=404),
    "password_reset_confirm": E("public", ok=404, post="public", p_ok=404),
    # -- the audit seal and background jobs ----------------------------------------------------------
    "org:audit_checkpoints": E("league", post="league"),
    # Another user's job (an import check queued by Student Affairs): the registry's managers.
    "org:job_detail": E("registry", post="registry"),
    "org:job_progress": E("registry", post="registry"),
    # -- people: staff records, roles, accounts --------------------------------------------------------
    "people:staff": E("offices", college=200, post="offices", p_college=200),
    "people:staff_new": E("registry", post="registry"),
    "people:staff_edit": E("registry", post="registry"),
    # Student Affairs and the Party committee see the grants; the League committees give them
    # (another college's, in its college: the grant revoked here is one of that college).
    "people:roles": E("offices", college=200, post="league", p_college=200),
    "people:role_revoke": E("post", post="league", p_ok=302, p_college=302),
    "people:accounts": E("offices", college=200, post="offices", p_college=200),
    # An empty POST is a bad request for those who manage accounts.
    "people:accounts_create": E("post", post="league", p_ok=400, p_college=400),
    "people:account_reset": E("post", post="league", p_ok=400, p_college=400),
    "people:account_link": E("post", post="league", p_ok=400, p_college=400),
    # -- the compliance records and the calendar -------------------------------------------------------
    "records:setup": E("records", post="records"),
    "records:guidance": E("records", post="records"),
    "records:guidance_edit": E("records_write", post="records_write"),
    "records:guidance_clear": E("records_write", post="records_write", p_ok=302),
    "records:documents": E("records", post="records"),
    "records:document_new": E("records_write", post="records_write"),
    "records:document_edit": E("records_write", post="records_write"),
    "records:document_file": E("records", post="records"),
    "records:document_delete": E("records_write", post="records_write", p_ok=302),
    "records:congresses": E("records", post="records"),
    "records:congress_new": E("records_write", post="records_write"),
    "records:congress_edit": E("records_write", post="records_write"),
    "records:congress_delete": E("records_write", post="records_write", p_ok=302),
    "calendar:index": E("records", post="records"),
    "calendar:year_new": E("calendar_write", post="calendar_write"),
    "calendar:year_edit": E("calendar_write", post="calendar_write"),
    "calendar:year_delete": E("calendar_write", post="calendar_write", p_ok=302),
    "calendar:semester_delete": E("calendar_write", post="calendar_write", p_ok=302),
    "calendar:semester_new": E("calendar_write", post="calendar_write"),
    "calendar:semester_edit": E("calendar_write", post="calendar_write"),
    # -- the duty review (open; its panel: three student representatives, Student Affairs and the
    # League committee; the presidium member is a reviewee) ------------------------------------------
    "review:sessions": E("reader", post="reader"),
    "review:session_new": E("league", college=200, post="league", p_college=200),
    "review:session": E("reader", post="reader"),
    "review:panel": E("league", post="league"),
    "review:open": E("league", ok=302, post="league", p_ok=302),
    "review:close": E("league", ok=302, post="league", p_ok=302),
    "review:publish": E("league", ok=302, post="league", p_ok=302),
    "review:reviewee_add": E("league", post="league"),
    "review:reviewee_remove": E("league", post="league"),
    "review:score": E("league", affairs=200, post="league", p_affairs=200),
    "review:score_sheet": E("league", affairs=200, post="league", p_affairs=200),
    "review:sheets": E("league", post="league"),
    # Results are not published yet: those who may see them find no export.
    "review:export": E("offices", ok=404, post="offices", p_ok=404),
    "review:mine": E("reader", post="reader"),
    "review:report": E("reader", ok=403, presidium=200, post="reader", p_ok=403, p_presidium=200),
    "review:proposals": E("league", college=200, post="league", p_college=200),
    "review:proposal_decide": E("league", post="league"),
    # Everyone of the school sees the page (with their own records only); the presidium and
    # the League committee record.
    "review:discipline": E("reader", post="reader", p_ok=403, p_presidium=200, p_league=200),
    # The sanctioned staff member appeals; the offices see the record, others do not.
    "review:discipline_appeal": E(
        "personal", ok=302, staff=302, post="personal", p_ok=403, p_staff=302
    ),
    "review:study": E("offices", staff=200, presidium=200, post="union", p_affairs=403),
    "review:study_detail": E("offices", staff=200, presidium=200, post="union", p_affairs=403),
    "review:meeting_new": E("league", presidium=200, post="league", p_presidium=200),
    # -- the student voice (a demand of a plain student, routed to a department none of the roles
    # staffs, reported as abusive by that department) ---------------------------------------------
    "voice:board": E("public", post="public"),
    "voice:reception": E("public", post="public"),
    "voice:reception_new": E("league", post="league"),
    "voice:submit": E("own", post="own"),
    "voice:mine": E("own", post="own"),
    "voice:desk": E(
        "league", staff=200, presidium=200, post="league", p_staff=200, p_presidium=200
    ),
    # Only the answering departments' staff.
    "voice:queue": E("reader", ok=403, post="reader", p_ok=403),
    "voice:queue_export": E("reader", ok=403, post="reader", p_ok=403),
    "voice:officer": E("offices", post="offices"),
    "voice:settings": E("offices", post="offices", p_ok=403, p_league=400),
    "voice:abuse_decide": E("post", post="personal", p_ok=403, p_league=302),
    "voice:demand": E("personal", post="personal"),
    "voice:answer": E("post", post="personal", p_ok=403),
    "voice:forward": E("post", post="personal", p_ok=403, p_league=400),
    "voice:rate": E("post", post="personal", p_ok=403),
    "voice:reopen": E("post", post="personal", p_ok=403),
    "voice:merge": E("post", post="personal", p_ok=403, p_league=400),
    "voice:reveal": E("post", post="personal", p_ok=403),
    "voice:report": E("post", post="personal", p_ok=403, p_league=400),
    "voice:photo": E("personal", post="personal"),
    # -- the API's own pages -------------------------------------------------------------------------
    "api:openapi-json": E("public"),
    "api:openapi-view": E("public"),  # the browsable docs, from bundled files
    "api:api-root": E("public", ok=404),
    # -- Party and League oversight (a report heard, with its minutes; a filing of the school
    # union by the presidium member, returned; the world's activity, filed for its external
    # contact) ------------------------------------------------------------------------------------
    "oversight:index": E("oversight", post="oversight"),
    "oversight:record_new": E("oversight_league", post="oversight_league"),
    "oversight:record_edit": E("oversight_league", post="oversight_league"),
    "oversight:record_delete": E("oversight_league", post="oversight_league", p_ok=302),
    "oversight:hearing_minutes": E("oversight", post="oversight"),
    "oversight:filings": E("oversight", post="oversight"),
    "oversight:filing_new": E("oversight_filer", post="oversight_filer"),
    # Its readers see a filing; only the League committee decides (an empty decision comes back).
    "oversight:filing": E("oversight", post="oversight", p_ok=403, p_league=200),
    "oversight:filing_refile": E("oversight_filer", post="oversight_filer"),
    "oversight:activity_filing": E("oversight", post="oversight", p_ok=403, p_league=200),
    # -- notices and tasks (a task of the League committee to every college; the records' college
    # forwarded it to its class, whose study committee member is the delegate, and both reported
    # it done with a file) and the class (班团一体化) -------------------------------------------
    "linkage:notices": E("school", post="school"),
    "linkage:notice_new": E(
        "school",
        ok=403,
        presidium=200,
        league=200,
        post="school",
        p_ok=403,
        p_presidium=200,
        p_league=200,
    ),
    "linkage:notice": E(
        "notices", college=200, delegate=200, post="notices", p_college=200, p_delegate=200
    ),
    # The senders remind every level; who sees the notice without sending it is refused.
    "linkage:remind": E(
        "post405",
        post="notices",
        p_ok=302,
        p_affairs=403,
        p_scrutineer=403,
        p_college=403,
        p_delegate=403,
    ),
    # The records' college's copy: the whole cascade's viewers see it; its forwarders (its League
    # committee, its union's presidium) are none of the roles. Another college's does not.
    "linkage:college_read": E("post405", post="notices", p_ok=403),
    "linkage:college_forward": E("post405", post="notices", p_ok=403),
    "linkage:college_remind": E("post405", post="notices", p_ok=403),
    "linkage:college_done": E("notices", ok=403, post="notices", p_ok=403),
    "linkage:college_file": E("notices", post="notices"),
    # The class's copy: its readers (the delegate, by their class role) read and report it.
    "linkage:class_read": E("post405", post="notices", p_ok=403, p_delegate=302),
    "linkage:class_done": E(
        "notices", ok=403, delegate=200, post="notices", p_ok=403, p_delegate=200
    ),
    "linkage:class_file": E("notices", delegate=200, post="notices", p_delegate=200),
    "linkage:class": E("class", post="class"),
    # The registry's managers edit a class (so do the college League committee and the class's
    # League branch secretary, none of the roles); an empty POST is an unbound form shown again.
    "linkage:class_roles": E(
        "class",
        ok=403,
        league=200,
        affairs=200,
        post="class",
        p_ok=403,
        p_league=200,
        p_affairs=200,
    ),
    "linkage:meeting_new": E(
        "class",
        ok=403,
        league=200,
        affairs=200,
        post="class",
        p_ok=403,
        p_league=200,
        p_affairs=200,
    ),
}

# Named URLs the matrix does not request, with the reason (none: the API's operations are
# requested through ``OPERATIONS``, by method and path).
SKIPPED: dict[str, str] = {}


def _api(rule: str, ok=200, others=None, body=None, xfail=None, **cells) -> Entry:
    row = _expand(rule, ok, cells)
    if others is not None:
        row.update({r: others for r, v in RULES[rule].items() if v == 403 and r not in cells})
    if row["anon"] == 302:
        row["anon"] = 401
    return Entry(get=row, post=None, data=body or {}, xfail=xfail or {})


OPERATIONS: dict[str, Entry] = {
    "GET /api/v1/ping": _api("account"),
    "GET /api/v1/schools": _api("account"),
    "GET /api/v1/schools/{code}": _api("reader"),
    "GET /api/v1/schools/{code}/colleges": _api("reader"),
    "GET /api/v1/schools/{code}/classes": _api("reader"),
    "GET /api/v1/schools/{code}/unions": _api("reader"),
    "GET /api/v1/unions/{union_id}": _api("reader"),
    "GET /api/v1/unions/{union_id}/departments": _api("reader"),
    "GET /api/v1/unions/{union_id}/memberships": _api("reader"),
    "GET /api/v1/schools/{code}/rounds": _api("reader"),
    "GET /api/v1/schools/{code}/rounds/{round_id}": _api("reader"),
    "GET /api/v1/schools/{code}/rounds/{round_id}/applications": _api("reader"),
    "POST /api/v1/schools/{code}/rounds/{round_id}/applications": _api(
        "own",
        ok=201,
        body={"seat": "{seat_id}", "statement": "我愿意为同学服务，认真履职，接受监督。"},
    ),
    "GET /api/v1/schools/{code}/applications/{application_id}": _api(
        "personal", presidium=200, scrutineer=404
    ),
    "POST /api/v1/schools/{code}/applications/{application_id}/decisions": _api(
        "personal",
        # A schema-valid decision on a step the application is not at: refused as stale.
        ok=409,
        presidium=409,
        scrutineer=404,
        body={"decision": "approve", "step": 99, "cycle": 1},
    ),
    "GET /api/v1/schools/{code}/students/{student_no}/eligibility": _api("personal"),
    "GET /api/v1/volunteer-projects/{project_id}": _api("reader"),
    # A refused sign-up is a documented 409 with a code; "not_eligible" for who is no student.
    "POST /api/v1/volunteer-projects/{project_id}/signups": _api(
        "own", ok=201, others=409, body={"role": "{role_id}"}
    ),
    "GET /api/v1/volunteer-projects/{project_id}/signups/mine": _api("reader"),
    "DELETE /api/v1/signups/{signup_id}": _api("managers"),
    "GET /api/v1/schools/{code}/congress/sessions": _api("reader"),
    "GET /api/v1/schools/{code}/congress/sessions/{session_id}": _api("reader"),
    "GET /api/v1/schools/{code}/congress/sessions/{session_id}/delegates": _api("reader"),
    "GET /api/v1/schools/{code}/congress/sessions/{session_id}/polls": _api("reader"),
    "GET /api/v1/polls/{poll_id}/results": _api("reader"),
    "POST /api/v1/polls/{poll_id}/ballots": _api(
        "reader", ok=403, delegate=409, body={"choice": []}
    ),
    # The duty review: scoring is for the panel (Student Affairs, the League committee).
    "GET /api/v1/schools/{code}/reviews/{session_id}/scoring": _api("league", affairs=200),
    "POST /api/v1/schools/{code}/reviews/{session_id}/sheets": _api(
        "league",
        ok=201,
        affairs=201,
        body={
            "reviewee": "{reviewee_id}",
            **dict.fromkeys(("political", "moral", "study", "work", "discipline"), 90),
        },
    ),
    "GET /api/v1/schools/{code}/reviews/{session_id}/results": _api("offices"),
    "GET /api/v1/schools/{code}/reviews/mine": _api("reader"),
    # The student voice.
    "GET /api/v1/schools/{code}/demands/stats": _api("public"),
    "POST /api/v1/schools/{code}/demands": _api(
        "own",
        ok=201,
        body={
            "category": "academic",
            "title": "食堂晚餐供应时间",
            "text": "希望食堂晚餐供应时间延长到晚上八点。",
        },
    ),
    "GET /api/v1/schools/{code}/demands/mine": _api("reader"),
    "GET /api/v1/schools/{code}/demands/queue": _api("reader", ok=403),
    "POST /api/v1/schools/{code}/demands/{demand_id}/answer": _api(
        "personal", ok=403, body={"answer": "已延长开放时间。", "closure": "resolved"}
    ),
}


# -- the URL conf and the OpenAPI document -------------------------------------------------------


def named_urls() -> dict[str, list[str]]:
    """Every named URL (namespaced) and the names of its arguments."""
    return {name: params for name, (params, _route) in _walk().items()}


def _walk() -> dict[str, tuple[list[str], str]]:
    found: dict[str, tuple[list[str], str]] = {}

    def walk(resolver, namespace, params, route):
        for pattern in resolver.url_patterns:
            here = params + list(pattern.pattern.converters)
            path = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner, here, path)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = (here, path)

    walk(get_resolver(), "", [], "/")
    return {name: v for name, v in found.items() if not name.startswith("admin:")}


def api_operations() -> list[str]:
    """Every operation of the OpenAPI document, as ``"METHOD /path"``."""
    from tuanxue.api import api

    schema = api.get_openapi_schema()
    return [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]


def _operation_paths() -> set[str]:
    return {key.split(" ", 1)[1] for key in api_operations()}


def test_every_url_has_an_entry():
    """A named URL is covered by ``PAGES``, by ``SKIPPED``, or (an API URL) by the operations
    of the OpenAPI document served at its path."""
    operation_paths = _operation_paths()
    missing = []
    for name, (_params, route) in _walk().items():
        if name in PAGES or name in SKIPPED:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        if name.startswith("api:") and path in operation_paths:
            continue
        missing.append(name)
    assert not missing, f"named URLs without an entry in the permission matrix: {missing}"
    stale = [n for n in PAGES if n not in named_urls()]
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


def test_every_operation_has_an_entry():
    missing = [key for key in api_operations() if key not in OPERATIONS]
    assert not missing, f"API operations without an entry in the permission matrix: {missing}"
    stale = [key for key in OPERATIONS if key not in api_operations()]
    assert not stale, f"matrix entries for operations that no longer exist: {stale}"


# -- the world -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once, inside the transaction Django's ``TestCase`` opens for class-level data,
    rolled back when the module ends; each test adds its own savepoint inside it."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            world = World()
            world.sessions = {}
            for role in ROLES:  # log every role in now, outside the tests' savepoints
                client_for(world, role)
            yield world
        finally:
            TestCase._rollback_atomics(atomics)


def url_kwargs(w: World) -> dict[str, object]:
    """The value of every URL argument, from the world."""
    return {
        "school": w.school.code,
        "union_id": w.union.pk,
        "body_id": w.department.pk,
        "membership_id": w.staff_post.pk,
        "college_id": w.kit.college.pk,
        "student_id": w.volunteer.pk,
        "target_type": "activities.activity",
        "target_id": str(w.activity.pk),
        "job_id": w.import_job.pk,
        "year": 2020,
        "round_id": w.round.pk,
        "application_id": w.application.pk,
        "title": "staff",
        "request_id": w.resignation.pk,
        "activity_id": w.activity.pk,
        "proposal_id": w.proposal.pk,
        "project_id": w.project.pk,
        "role_id": w.volunteer_role.pk,
        "signup_id": w.signup.pk,
        "attendance_id": w.attendance.pk,
        "token": qr.make_token(w.activity.pk, window=0),
        "entry_id": w.entry.pk,
        "session_id": w.session.pk,
        "milestone_id": w.session.milestones.order_by("pk").first().pk,
        "delegate_id": w.delegates[0].pk,
        "objection_id": w.objection.pk,
        "card_code": w.delegates[0].card_code,
        "motion_id": w.motion.pk,
        "poll_id": w.poll.pk,
        "token_id": w.token.pk,
        "notification_id": w.notification.pk,
        "code": w.school.code,
        "student_no": w.volunteer.student_no,
        "seat_id": w.round.seats.get().pk,
        "issued_id": w.transcript.pk,
        "batch_id": w.transcript_batch.pk,
        "verification": w.transcript.code,
        "submission_id": w.submission.pk,
        "kind": "pdf",
        "filing_id": w.filing.pk,
        "notice_id": w.notice.pk,
        "class_id": w.class_group.pk,
    }


def kwargs_for(w: World, name: str) -> dict[str, object]:
    """``url_kwargs``, with the arguments whose name means another record in some apps."""
    values = url_kwargs(w)
    app = name.split(":", 1)[0] if ":" in name else ""
    if app == "review" or "/reviews/" in name:
        values.update(
            session_id=w.review.pk,
            reviewee_id=w.reviewee.pk,
            proposal_id=w.removal.pk,
            record_id=w.discipline.pk,
            study_id=w.study.pk,
        )
    elif app == "records":
        values.update(record_id=w.congress_record.pk, attestation_id=w.attestation.pk)
    elif app == "calendar":
        values.update(year_id=w.year.pk, semester_id=w.semester.pk)
    elif app == "people":
        values.update(staff_id=w.staff_person.pk, grant_id=w.grant.pk)
    elif app == "oversight":
        values.update(kind="hearing", record_id=w.hearing.pk)
    elif app == "voice":
        values.update(demand_id=w.demand.pk, photo_id=w.photo.pk, report_id=w.abuse.pk)
    elif name in ("org:job_detail", "org:job_progress"):
        values.update(job_id=w.background.pk)
    elif name == "password_reset_confirm":
        values.update(uidb64=w.reset_uid, token=w.reset_token)
    if "/demands/" in name:
        values.update(demand_id=w.demand.pk)
    return values


def page_url(w: World, name: str) -> str:
    values = kwargs_for(w, name)
    return reverse(name, kwargs={p: values[p] for p in named_urls()[name]})


def client_for(w: World, role: str) -> Client:
    """A client logged in as ``role`` (the session is made once per role, with the world)."""
    client = Client(raise_request_exception=False)
    if role != "anon":
        if role not in w.sessions:
            client.force_login(w.users[role])
            w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[role]
    return client


def _cases(kind: str):
    for name, entry in PAGES.items():
        row = entry.get if kind == "get" else entry.post
        if row is None:
            continue
        for role in ROLES:
            cell = role if kind == "get" else f"p_{role}"
            marks = []
            if cell in entry.xfail:
                marks = [pytest.mark.xfail(strict=True, reason=entry.xfail[cell])]
            yield pytest.param(name, role, row[role], id=f"{name}-{role}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "expected"), list(_cases("get")))
def test_get(world, name, role, expected):
    response = client_for(world, role).get(page_url(world, name))
    assert response.status_code == expected, f"GET {name} as {role}"
    if expected == 302 and role == "anon" and name not in ("home", "set_language"):
        assert response.url.startswith(reverse("login")), f"GET {name}: {response.url}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "expected"), list(_cases("post")))
def test_post(world, name, role, expected):
    data = PAGES[name].data
    response = client_for(world, role).post(page_url(world, name), data)
    assert response.status_code == expected, f"POST {name} as {role}"


def _operation_cases():
    for key, entry in OPERATIONS.items():
        for role in ROLES:
            marks = []
            if role in entry.xfail:
                marks = [pytest.mark.xfail(strict=True, reason=entry.xfail[role])]
            yield pytest.param(key, role, entry.get[role], id=f"{key}-{role}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role", "expected"), list(_operation_cases()))
def test_api(world, key, role, expected):
    method, path = key.split(" ", 1)
    values = kwargs_for(world, key)
    url = path.format(**values)
    # A body's "{name}" strings stand for the id of that URL argument.
    body = re.sub(
        r'"\{(\w+)\}"', lambda m: str(values[m.group(1)]), json.dumps(OPERATIONS[key].data)
    )
    headers = {} if role == "anon" else {"Authorization": f"Bearer {world.keys[role]}"}
    client = Client(raise_request_exception=False)
    kwargs = {"content_type": "application/json", "headers": headers}
    response = client.generic(method, url, body if method != "GET" else "", **kwargs)
    assert response.status_code == expected, f"{key} as {role}: {response.content[:300]!r}"


@pytest.mark.django_db
def test_no_page_fails_after_the_creators_are_gone(world):
    """Records whose creator, uploader or certifier's account is gone still render (issue 11,
    item 15): every page, for every role, answers without a server error."""
    gone = [world.organiser, world.round_creator, world.uploader]
    get_user_model().objects.filter(pk__in=[u.pk for u in gone]).delete()
    # The records stay, without their creator (the certifier's account is protected).
    world.activity.refresh_from_db()
    world.round.refresh_from_db()
    world.import_job.refresh_from_db()
    assert world.activity.created_by_id is None and world.round.created_by_id is None
    assert world.import_job.created_by_id is None
    failures = []
    for role in ROLES:
        client = client_for(world, role)
        for name in PAGES:
            status = client.get(page_url(world, name)).status_code
            if status >= 500:
                failures.append(f"{name} as {role}: {status}")
    assert not failures, failures
