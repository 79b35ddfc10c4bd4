"""The demo school after 2020: every year up to today, relative to ``timezone.localdate()``.

The seed's history (the 14th congress of 2020-08-25 and everything built by ``org.demo``) is left
as it is; this adds, for each later year Y:

- the calendar (academic year and both semesters) up to the current one;
- a new cohort (one class per major) entering on 1 September, with its League branch officers;
- the academic records of the spring semester before each term (union staff in the top 30%);
- the annual congress in late August: the school union's old terms end, delegates are elected
  per college (each college at its quota), the work report is adopted and the presidium is
  elected by secret ballot and installed through ``congress.install.presidium_install``; the
  department posts are appointed through ``org.services.membership_create``, and the round that
  selected them (both chains, every step) is kept as history;
- the college unions' new terms in September (first-year students, exempt from the academic rule);
- the executive chair rotation for the year (``org.rotation.rotation_generate``);
- a duty review of each semester once it has ended (through the review services; the panel's
  score sheets are written in bulk with one summary event).

Everything the services record is audited; rows written in bulk are summarised in one audit event
each, like the seed demo does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tuanxue.charter.academic import places_within
from tuanxue.congress.models import (
    Ballot,
    BallotSource,
    Candidate,
    CongressSession,
    Delegate,
    DelegateStatus,
    Majority,
    MajorityBase,
    Milestone,
    Motion,
    MotionKind,
    Poll,
    PollKind,
    PollStatus,
    SessionStatus,
    VoterMark,
)
from tuanxue.congress.polls.install import congress_record_sync, presidium_install
from tuanxue.congress.polls.secrecy import storage_shuffle
from tuanxue.congress.polls.strokes import stroke_order
from tuanxue.congress.sessions.quota import college_quotas
from tuanxue.core.audit import audit_record
from tuanxue.core.models import School, Semester
from tuanxue.demo import org_data as data
from tuanxue.demo.org import refresh_statistics
from tuanxue.demo.people import person_name, phone_number
from tuanxue.org import services
from tuanxue.org.models import (
    HEAD_TITLES,
    AcademicRecord,
    BodyKind,
    ClassGroup,
    College,
    EndReason,
    Gender,
    LeagueBranch,
    Major,
    Membership,
    PoliticalStatus,
    Society,
    Student,
    Union,
)
from tuanxue.org.rotation import services as rotation
from tuanxue.review import publishing
from tuanxue.review import services as review_services
from tuanxue.review.models import DIMENSIONS, PanelKind, ScoreSheet
from tuanxue.selection.chains import chains_ensure
from tuanxue.selection.models import (
    Application,
    ApplicationStatus,
    ChainKind,
    Decision,
    RecruitmentRound,
    RoundStatus,
    Seat,
    StepAction,
)

FIRST_YEAR = 2021  # the first year after the seed's
SEED_NUMBER = 14  # the seed's congress is the 14th
CLASS_SIZE = (36, 44)
TOP_SHARE = 0.30
PANEL = [
    ("daibiao", PanelKind.STUDENT),
    ("tuanzhishu", PanelKind.STUDENT),
    ("xuesheng", PanelKind.STUDENT),
    ("xuegong", PanelKind.STUDENT_AFFAIRS),
    ("tuanwei", PanelKind.LEAGUE),
]
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """14 -> 十四, 20 -> 二十, 21 -> 二十一 (up to 99)."""
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else DIGITS[tens]) + "十" if tens else ""
    return text + (DIGITS[ones] if ones else "")


def congress_day(year: int) -> dt.date:
    """The congress of ``year``: the last Friday of August on or before the 28th."""
    day = dt.date(year, 8, 28)
    return day - dt.timedelta(days=(day.weekday() - 4) % 7)


def college_term_start(year: int) -> dt.date:
    return dt.date(year, 9, 12)


def current_first_year(today: dt.date) -> int:
    """The first calendar year of the academic year containing ``today``."""
    return today.year if today >= dt.date(today.year, 9, 1) else today.year - 1


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def ranked_records(school, semester, cohorts: dict, qualified: set[int], rng) -> list:
    """Unsaved records of ``semester`` for ``cohorts`` ({(major, grade): [student ids]}): ranks
    are permutations within each cohort, with ``qualified`` students in the top 30% of both and
    without a failed course."""
    rows = []
    for key in sorted(cohorts):
        ids = cohorts[key]
        size = len(ids)
        top = places_within(TOP_SHARE, size)
        ranks = {}
        for kind in ("study", "assessment"):
            order = list(range(1, size + 1))
            rng.shuffle(order)
            by = dict(zip(ids, order, strict=True))
            free = [i for i in ids if i not in qualified and by[i] <= top]
            for i in ids:
                if i in qualified and by[i] > top and free:
                    other = free.pop()
                    by[i], by[other] = by[other], by[i]
            ranks[kind] = by
        for i in ids:
            failed = 0 if i in qualified else rng.choices([0, 1, 2], weights=[86, 10, 4])[0]
            rows.append(
                AcademicRecord(
                    school=school,
                    student_id=i,
                    semester=semester,
                    study_rank=ranks["study"][i],
                    assessment_rank=ranks["assessment"][i],
                    major_size=size,
                    failed_courses=failed,
                )
            )
    return rows


class History:
    def __init__(self, school: School, today: dt.date):
        self.school = school
        self.today = today
        self.union = Union.objects.select_related("school").get(school=school, college__isnull=True)
        users = get_user_model().objects.filter(
            username__in=[name for name, _kind in PANEL] + ["dangwei", "xytw", "xydzz", "xuelian"]
        )
        self.users = {u.username: u for u in users}
        self.league = self.users["tuanwei"]
        self.colleges = list(College.objects.filter(school=school).order_by("order", "pk"))
        self.college_no = {c.pk: i + 1 for i, c in enumerate(self.colleges)}
        self.majors = defaultdict(list)
        for major in Major.objects.filter(school=school).order_by("pk"):
            self.majors[major.college_id].append(major)
        self.short = {
            name: short for _c, _cp, _m, majors in data.COLLEGES for name, short in majors
        }
        self.campus = {name: campus for name, campus, _m, _majors in data.COLLEGES}
        self.male = {name: male for name, _cp, male, _majors in data.COLLEGES}
        self.societies = list(Society.objects.filter(school=school, is_major=True).order_by("pk"))
        self.counts: Counter = Counter()

    # -- calendar and students ---------------------------------------------------------------

    def calendar(self) -> None:
        for first in range(2020, current_first_year(self.today) + 1):
            for number in (1, 2):
                services.semester_ensure(
                    actor=None, school=self.school, code=f"{first}-{first + 1}-{number}"
                )
        self.semesters = {s.code: s for s in Semester.objects.filter(school=self.school)}

    def cohort(self, year: int, rng: random.Random) -> None:
        """One class per major enters on 1 September of ``year``."""
        students: list[Student] = []
        classes: list[ClassGroup] = []
        for college in self.colleges:
            for major_no, major in enumerate(self.majors[college.pk], start=1):
                group = ClassGroup.objects.create(
                    school=self.school,
                    college=college,
                    major=major,
                    name=f"{self.short[major.name]}{year % 100:02d}01",
                    grade=year,
                )
                classes.append(group)
                for seat in range(1, rng.randint(*CLASS_SIZE) + 1):
                    male = rng.random() < self.male[college.name]
                    students.append(
                        Student(
                            school=self.school,
                            student_no=f"{year}{self.college_no[college.pk]:02d}{major_no}1{seat:02d}",
                            name=person_name(rng, male=male),
                            gender=Gender.MALE if male else Gender.FEMALE,
                            college=college,
                            major=major,
                            class_group=group,
                            grade=year,
                            political_status=rng.choices(
                                [v for v, _w in data.POLITICAL_WEIGHTS],
                                weights=[w for _v, w in data.POLITICAL_WEIGHTS],
                            )[0],
                            campus=self.campus[college.name],
                            phone=phone_number(rng),
                        )
                    )
        LeagueBranch.objects.bulk_create([LeagueBranch(class_group=g) for g in classes])
        Student.objects.bulk_create(students, batch_size=1000)
        by_class = defaultdict(list)
        for s in Student.objects.filter(school=self.school, grade=year).order_by("student_no"):
            by_class[s.class_group_id].append(s)
        branches = list(LeagueBranch.objects.filter(class_group__in=classes))
        for branch in branches:
            league = [
                s
                for s in by_class[branch.class_group_id]
                if s.political_status == PoliticalStatus.LEAGUE_MEMBER
            ]
            secretary, deputy = rng.sample(league, 2)
            branch.secretary_id, branch.deputy_secretary_id = secretary.pk, deputy.pk
        LeagueBranch.objects.bulk_update(branches, ["secretary", "deputy_secretary"])
        audit_record(
            school=self.school,
            actor=None,
            action="org.demo.cohort",
            target=self.school,
            new={
                "grade": year,
                "classes": [g.name for g in classes],
                "students": len(students),
            },
        )
        self.counts["students"] += len(students)

    def records(self, semester: Semester, grades: list[int], qualified: set[int], rng) -> None:
        """Records of ``semester`` for the students of ``grades`` who have none: ranks are
        permutations within each major and grade, with ``qualified`` in the top places."""
        cohorts = defaultdict(list)
        for s in (
            Student.objects.filter(school=self.school, grade__in=grades)
            .exclude(academic_records__semester=semester)
            .order_by("student_no")
            .only("pk", "major_id", "grade")
        ):
            cohorts[(s.major_id, s.grade)].append(s.pk)
        rows = ranked_records(self.school, semester, cohorts, qualified, rng)
        AcademicRecord.objects.bulk_create(rows, batch_size=1000)
        audit_record(
            school=self.school,
            actor=None,
            action="org.demo.records",
            target=semester,
            new={"semester": semester.code, "records": len(rows)},
        )
        self.counts["records"] += len(rows)

    # -- the school union's year -------------------------------------------------------------

    def school_posts(self) -> list[Membership]:
        return list(
            Membership.objects.filter(union=self.union, end__isnull=True)
            .select_related("body", "student")
            .order_by("body__order", "title", "student__student_no")
        )

    def choose_school_union(self, year: int, rng) -> tuple[list[Student], list[Student], Student]:
        """Who takes the school union's 31 posts in ``year``: the presidium (5) and one more
        candidate from the college unions' presidiums and heads, and the department posts (26),
        most of them from the college unions' members."""
        holding = set(
            Membership.objects.filter(school=self.school, end__isnull=True).values_list(
                "student_id", flat=True
            )
        )
        college_posts = list(
            Membership.objects.filter(
                school=self.school,
                union__college__isnull=False,
                end__isnull=True,
                student__grade__in=[year - 2, year - 1],
                student__political_status=PoliticalStatus.LEAGUE_MEMBER,
            )
            .select_related("student", "body")
            .order_by("student__student_no")
        )
        rng.shuffle(college_posts)
        leaders = [
            m.student
            for m in college_posts
            if m.body.kind == BodyKind.PRESIDIUM or m.title in HEAD_TITLES
        ]
        presidium = leaders[:6]
        taken = {s.pk for s in presidium}
        others = [m.student for m in college_posts if m.student.pk not in taken]
        from_colleges = others[: data.FROM_COLLEGE_UNIONS - 5]
        taken |= {s.pk for s in from_colleges}
        fresh = list(
            Student.objects.filter(
                school=self.school,
                grade=year - 1,
                political_status=PoliticalStatus.LEAGUE_MEMBER,
                user__isnull=True,
            )
            .exclude(pk__in=holding | taken)
            .order_by("student_no")
        )
        rng.shuffle(fresh)
        department = from_colleges + fresh[: 26 - len(from_colleges)]
        rng.shuffle(department)
        return presidium[:5], department, presidium[5]

    def congress(self, year: int, number: int, winners, other, rng) -> CongressSession:
        held = congress_day(year)
        name = f"第{chinese_number(number)}次学生代表大会"
        session = CongressSession.objects.create(
            school=self.school,
            union=self.union,
            number=number,
            name=name,
            held_on=held,
            venue="天河校区大礼堂",
            roster_cutoff=dt.date(year, 6, 30),
            notice_until=held - dt.timedelta(days=4),
            status=SessionStatus.CLOSED,
            created_by=self.league,
            minutes_narrative=(
                f"大会由主席团主持，校党委副书记出席并讲话。大会听取并审议了第{chinese_number(number - 1)}"
                "届学生会工作报告，以差额选举方式选举产生了新一届学生会主席团。"
            ),
        )
        Milestone.objects.bulk_create(
            [
                Milestone(session=session, title=title, due=day, done_on=day)
                for title, day in (
                    ("校团委批复大会筹备方案", dt.date(year, 6, 15)),
                    ("各学院选举产生学生代表", dt.date(year, 7, 8)),
                    ("代表资格审查并公示", held - dt.timedelta(days=11)),
                    ("主席团候选人考察、审批", held - dt.timedelta(days=5)),
                    (f"召开{name}", held),
                )
            ]
        )
        quotas = college_quotas(self.school, held)
        avoid = {s.pk for s in [*winners, other]}
        pool = defaultdict(list)
        for s in (
            Student.objects.filter(school=self.school, grade__in=[year - 2, year - 1])
            .exclude(pk__in=avoid)
            .order_by("student_no")
            .only("pk", "college_id", "class_group_id", "grade")
        ):
            pool[s.college_id].append(s)
        rows = []
        # Two above each quota: the cohort that enters in September (at most 200 students a
        # college) raises a college's quota by at most two, and the registry counts the roster
        # of the day, so the congress stays at or above the quotas until the next one.
        for row in quotas.rows:
            picked = rng.sample(pool[row.college.pk], row.quota + 2 + rng.randint(0, 1))
            for s in sorted(picked, key=lambda s: s.pk):
                rows.append(
                    Delegate(
                        session=session,
                        student=s,
                        college=row.college,
                        nominated_by_id=s.class_group_id,
                        status=DelegateStatus.CONFIRMED,
                        credential_note="资格审查通过",
                        checked_in_at=_at(held, 8, 10 + len(rows) % 40),
                    )
                )
        for i, delegate in enumerate(rows[::15]):
            delegate.society = self.societies[i % len(self.societies)]
        Delegate.objects.bulk_create(rows, batch_size=500)
        delegates = list(Delegate.objects.filter(session=session))
        n = len(delegates)
        report = Motion.objects.create(
            session=session,
            kind=MotionKind.WORK_REPORT,
            title=f"第{chinese_number(number - 1)}届学生会工作报告",
            text="回顾一年来学生会围绕服务同学开展的工作，总结经验和不足，提出新一届工作建议。",
            majority=Majority.HALF,
            base=MajorityBase.PRESENT,
        )
        poll = Poll.objects.create(
            session=session,
            kind=PollKind.MOTION,
            title=f"表决：{report.title}",
            motion=report,
            status=PollStatus.CLOSED,
            opened_at=_at(held, 9),
            closed_at=_at(held, 9, 20),
            issued=n,
        )
        votes = ["no"] * 2 + ["abstain"] * 4 + ["yes"] * (n - 6)
        Ballot.objects.bulk_create(
            [Ballot(poll=poll, choice=v, valid=True, source=BallotSource.PHONE) for v in votes]
        )
        VoterMark.objects.bulk_create([VoterMark(poll=poll, delegate=d) for d in delegates])
        storage_shuffle(poll)
        election = Poll.objects.create(
            session=session,
            kind=PollKind.ELECTION,
            title=f"选举第{chinese_number(number)}届学生会主席团成员",
            seats=len(winners),
            status=PollStatus.CLOSED,
            opened_at=_at(held, 10, 30),
            closed_at=_at(held, 11),
            issued=n,
        )
        listed = stroke_order([*winners, other], name=lambda s: s.name)
        Candidate.objects.bulk_create(
            [Candidate(poll=election, student=s, order=i) for i, s in enumerate(listed, start=1)]
        )
        ids = {c.student_id: c.pk for c in election.candidates.all()}
        elected = [ids[s.pk] for s in winners]
        ballots = []
        for i in range(n - 1):
            marks = list(elected)
            if i % 5 == 0:
                marks[(i // 5) % len(marks)] = ids[other.pk]
            ballots.append(
                Ballot(
                    poll=election,
                    choice={"marks": sorted(marks), "write_in": ""},
                    valid=True,
                    source=BallotSource.PHONE,
                )
            )
        ballots.append(
            Ballot(
                poll=election,
                choice={"marks": sorted([*elected, ids[other.pk]]), "write_in": ""},
                valid=False,
                source=BallotSource.PAPER,
            )
        )
        rng.shuffle(ballots)
        Ballot.objects.bulk_create(ballots, batch_size=500)
        VoterMark.objects.bulk_create([VoterMark(poll=election, delegate=d) for d in delegates])
        storage_shuffle(election)
        audit_record(
            school=self.school,
            actor=None,
            action="congress.demo.built",
            target=session,
            new={"name": name, "held_on": held, "delegates": n, "election": election.pk},
        )
        installed = presidium_install(actor=self.league, poll=election)
        congress_record_sync(session, actor=self.league)
        self.counts["congresses"] += 1
        self.counts["delegates"] += n
        self.installed = [i.membership for i in installed]
        return session

    def turnover(self, year: int, number: int, chains, rng) -> None:
        """The school union's new term: the old one ends, the congress elects the presidium,
        the department posts are appointed."""
        held = congress_day(year)
        old = self.school_posts()
        layout = [(m.body, m.title) for m in old if m.body.kind == BodyKind.DEPARTMENT]
        presidium, department, other = self.choose_school_union(year, rng)
        self.records(
            self.semesters[f"{year - 1}-{year}-2"],
            [year - 2, year - 1],
            {s.pk for s in [*presidium, *department, other]},
            rng,
        )
        # The old term ends the day before the congress; the college posts of those moving up
        # end then too (moved to another post). Rows in bulk, one audit event.
        moving = {s.pk for s in [*presidium, *department]}
        transfers = list(
            Membership.objects.filter(
                school=self.school,
                union__college__isnull=False,
                end__isnull=True,
                student_id__in=moving,
            ).values_list("pk", flat=True)
        )
        eve = held - dt.timedelta(days=1)
        Membership.objects.filter(pk__in=[m.pk for m in old]).update(
            end=eve, end_reason=EndReason.TERM_END
        )
        Membership.objects.filter(pk__in=transfers).update(end=eve, end_reason=EndReason.TRANSFER)
        audit_record(
            school=self.school,
            actor=self.league,
            action="org.demo.term_ended",
            target=self.union,
            new={
                "end": eve,
                "term_end": [m.student.student_no for m in old],
                "transfer": len(transfers),
            },
        )
        session = self.congress(year, number, presidium, other, rng)
        posts = list(self.installed)
        for (body, title), student in zip(layout, department, strict=True):
            posts.append(
                services.membership_create(
                    actor=self.league,
                    body=body,
                    student=student,
                    title=title,
                    start=held,
                    source=f"congress:{session.pk}",
                )
            )
        self.finished_round(year, posts, chains, other)
        self.counts["school_posts"] += len(posts)

    def finished_round(self, year: int, posts: list[Membership], chains, other) -> None:
        """The recruitment round that selected this term's school union, kept as history."""
        offices = {
            "college_league": self.users.get("xytw"),
            "college_party": self.users.get("xydzz"),
            "student_affairs": self.users.get("xuegong"),
            "school_league": self.league,
            "school_party": self.users.get("dangwei"),
            "federation": self.users.get("xuelian"),
        }
        record_finished_round(
            school=self.school,
            union=self.union,
            name=f"{year}-{year + 1}学年校学生会主席团及工作部门成员遴选",
            held=congress_day(year),
            posts=posts,
            chains=chains,
            offices=offices,
            created_by=self.league,
            not_elected=other,
        )

    # -- college unions ----------------------------------------------------------------------

    def college_turnover(self, year: int, rng) -> None:
        """The college unions' new terms in September: the same posts, first-year students.
        Rows in bulk, one audit event per union."""
        start = college_term_start(year)
        holding = set(
            Membership.objects.filter(school=self.school, end__isnull=True).values_list(
                "student_id", flat=True
            )
        )
        pools = defaultdict(list)
        for s in Student.objects.filter(
            school=self.school, grade=year, political_status=PoliticalStatus.LEAGUE_MEMBER
        ).order_by("student_no"):
            if s.pk not in holding:
                pools[s.college_id].append(s)
        secretaries = set(
            LeagueBranch.objects.filter(class_group__school=self.school).values_list(
                "secretary_id", flat=True
            )
        )
        for union in Union.objects.filter(school=self.school, college__isnull=False).order_by(
            "college__order"
        ):
            latest = (
                Membership.objects.filter(union=union)
                .order_by("-start")
                .values_list("start", flat=True)
                .first()
            )
            old = list(Membership.objects.filter(union=union, start=latest).order_by("pk"))
            pool = [s for s in pools[union.college_id] if s.pk not in secretaries]
            rng.shuffle(pool)
            Membership.objects.filter(pk__in=[m.pk for m in old], end__isnull=True).update(
                end=start - dt.timedelta(days=1), end_reason=EndReason.TERM_END
            )
            new = [
                Membership(
                    school=self.school,
                    union=union,
                    body_id=m.body_id,
                    student=student,
                    title=m.title,
                    start=start,
                    source="demo",
                )
                for m, student in zip(old, pool, strict=False)
            ]
            Membership.objects.bulk_create(new)
            audit_record(
                school=self.school,
                actor=None,
                action="org.demo.college_term",
                target=union,
                new={
                    "start": start,
                    "ended": len(old),
                    "appointed": [[m.student.student_no, m.title] for m in new],
                },
            )
            self.counts["college_posts"] += len(new)

    # -- rotation and reviews ----------------------------------------------------------------

    def rotate(self, first: int) -> None:
        semesters = [self.semesters[f"{first}-{first + 1}-{n}"] for n in (1, 2)]
        rotation.rotation_generate(actor=self.league, union=self.union, semesters=semesters)

    def review(self, semester: Semester, held: dt.date, rng) -> None:
        league = self.league
        session = review_services.session_create(
            actor=league,
            union=self.union,
            semester=semester,
            held_on=held,
            place="行政楼第一会议室",
        )
        review_services.panel_set(
            actor=league,
            session=session,
            members=[(self.users[name], kind) for name, kind in PANEL],
        )
        review_services.session_open(actor=league, session=session)
        members = list(session.panel.all())
        sheets = []
        for reviewee in session.reviewees.all():
            base = rng.randint(78, 93)
            for member in members:
                scores = {d: min(100, max(60, base + rng.randint(-6, 6))) for d in DIMENSIONS}
                sheets.append(
                    ScoreSheet(
                        session=session,
                        member=member,
                        reviewee=reviewee,
                        comment="",
                        submitted_at=_at(held, 15),
                        **scores,
                    )
                )
        ScoreSheet.objects.bulk_create(sheets)
        audit_record(
            school=self.school,
            actor=league,
            action="review.demo.sheets",
            target=session,
            new={"sheets": len(sheets)},
        )
        publishing.session_close(actor=league, session=session)
        publishing.session_publish(actor=league, session=session)
        self.counts["reviews"] += 1

    # -- activities, the ledger and the student voice ----------------------------------------

    def service_year(self, year: int, rng) -> None:
        """The welcome week's volunteers (attendance credited to the ledger through the
        attendance service) and a demand of a new student, answered and rated."""
        from tuanxue.activities import services as activities
        from tuanxue.activities.attendance.services import credit_attendance
        from tuanxue.activities.models import Attendance, CheckMethod
        from tuanxue.demo.voice import _backdate
        from tuanxue.voice import services as voice
        from tuanxue.voice.models import Category, Closure

        day = dt.date(year, 9, 3)
        starts = _at(day, 8)
        society = Society.objects.select_related("school").get(
            school=self.school, name="青年志愿者协会"
        )
        activity = activities.activity_create(
            actor=None,
            school=self.school,
            organiser_society=society,
            title=f"{year}级新生迎新志愿服务",
            description="迎新日在各校区报到点设置引导、咨询和行李搬运岗位，服务新同学报到。",
            area="volunteer",
            brands=[],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=4),
            place="各校区报到点",
            capacity=60,
            audience_colleges=[],
            audience_grades=[],
            credit="4",
            credit_unit="hours",
            external_contact="",
        )
        activities.activity_submit(actor=None, activity=activity)
        volunteers = list(
            Student.objects.filter(
                school=self.school,
                grade=year - 1,
                political_status=PoliticalStatus.LEAGUE_MEMBER,
            ).order_by("student_no")[::37][:20]
        )
        Attendance.objects.bulk_create(
            [
                Attendance(
                    school=self.school,
                    activity=activity,
                    student=student,
                    checked_in_at=starts + dt.timedelta(minutes=i % 15),
                    check_in_method=CheckMethod.QR,
                    checked_out_at=starts + dt.timedelta(hours=4),
                    check_out_method=CheckMethod.QR,
                    hours=4,
                )
                for i, student in enumerate(volunteers)
            ]
        )
        for row in Attendance.objects.filter(activity=activity).select_related(
            "activity", "student__school"
        ):
            credit_attendance(actor=self.league, attendance=row)
        self.counts["activities"] += 1
        self.counts["ledger_entries"] += len(volunteers)
        if day > self.today - dt.timedelta(days=40):
            return
        student = (
            Student.objects.filter(school=self.school, grade=year)
            .select_related("school")
            .order_by("student_no")[rng.randrange(100)]
        )
        category = Category.objects.get(school=self.school, code="academic")
        demand = voice.demand_submit(
            actor=None,
            school=self.school,
            student=student,
            category=category,
            title=f"{year}级新生希望开放晚自习教室",
            text="新生晚上没有固定的自习地点，希望教学楼每晚开放几间教室用于自习。",
            confidential=False,
        )
        voice.demand_answer(
            actor=None,
            demand=demand,
            answer="教务处已安排第一教学楼三楼六间教室每晚开放至22:00，供同学自习。",
            closure=Closure.RESOLVED,
        )
        voice.demand_rate(actor=None, demand=demand, rating=4 + rng.randrange(2))
        created = _at(dt.date(year, 9, 20), 20)
        _backdate(demand, created, answered=created + dt.timedelta(days=3))
        self.counts["demands"] += 1

    # -- logins ----------------------------------------------------------------------------

    def relink_logins(self) -> None:
        """The union logins follow the posts: the executive chair of the current semester, a
        presidium member, the minister and a staff member of 学习权益部 of today's term."""
        User = get_user_model()
        today = self.today
        posts = [
            m
            for m in Membership.objects.filter(union=self.union)
            .filter(start__lte=today)
            .exclude(end__lte=today)
            .select_related("body", "student")
            .order_by("student__student_no")
        ]
        semester = rotation.current_semester(self.school, today)
        slot = (
            self.union.rotation_slots.filter(semester=semester).select_related("membership").first()
            if semester
            else None
        )
        presidium = [m for m in posts if m.body.kind == BodyKind.PRESIDIUM]
        chair = slot.membership if slot else presidium[0]
        rights = [m for m in posts if m.body.name == "学习权益部"]
        wanted = {
            "zhixing": chair.student,
            "zhuxituan": next(m.student for m in presidium if m.pk != chair.pk),
            "buzhang": next(m.student for m in rights if m.title == "minister"),
            "ganshi": next(m.student for m in rights if m.title == "staff"),
        }
        moved = {}
        for username, student in wanted.items():
            user = User.objects.get(username=username)
            Student.objects.filter(user=user).update(user=None)
            Student.objects.filter(pk=student.pk).update(user=user)
            user.first_name = student.name
            user.save(update_fields=["first_name"])
            moved[username] = student.student_no
        audit_record(
            school=self.school,
            actor=None,
            action="org.demo.logins",
            target=self.school,
            new=moved,
        )


def record_finished_round(
    *, school, union, name, held, posts, chains, offices, created_by, not_elected=None
) -> RecruitmentRound:
    """A finished recruitment round kept as history: every post's application went through
    every step of its chain (each office approving), rows in bulk with one audit event."""
    rnd = RecruitmentRound.objects.create(
        school=school,
        union=union,
        name=name,
        term_start=held,
        opens_at=_at(held - dt.timedelta(days=30), 9),
        closes_at=_at(held - dt.timedelta(days=18), 18),
        status=RoundStatus.FINISHED,
        created_by=created_by,
    )
    counts = Counter((p.body_id, p.title) for p in posts)
    bodies = {p.body_id: p.body for p in posts}
    seats = {
        key: Seat(round=rnd, body=bodies[key[0]], title=key[1], count=n)
        for key, n in counts.items()
    }
    Seat.objects.bulk_create(seats.values())
    steps = {kind: list(chain.steps.order_by("order")) for kind, chain in chains.items()}
    statement = "希望在学生会继续为同学服务，做好校院两级联动。"
    since = _at(held - dt.timedelta(days=5), 10)
    applications = []
    for post in posts:
        kind = ChainKind.PRESIDIUM if post.body.is_presidium else ChainKind.DEPARTMENT
        applications.append(
            Application(
                school=school,
                round=rnd,
                student=post.student,
                seat=seats[(post.body_id, post.title)],
                statement=statement,
                status=ApplicationStatus.APPOINTED,
                step=len(steps[kind]),
                cycle=1,
                step_since=since,
                eligible=True,
                eligibility={"eligible": True, "reasons": []},
                membership=post,
            )
        )
    if not_elected is not None:
        presidium_seat = seats.get(next(((b, t) for b, t in seats if bodies[b].is_presidium)))
        applications.append(
            Application(
                school=school,
                round=rnd,
                student=not_elected,
                seat=presidium_seat,
                statement=statement,
                status=ApplicationStatus.NOT_ELECTED,
                step=len(steps[ChainKind.PRESIDIUM]),
                cycle=1,
                step_since=since,
                eligible=True,
                eligibility={"eligible": True, "reasons": []},
            )
        )
    Application.objects.bulk_create(applications)
    actions = []
    for application in applications:
        kind = application.seat.chain_kind
        for offset, step in enumerate(steps[kind]):
            day = held - dt.timedelta(days=16 - 2 * offset)
            for role in step.roles:
                actions.append(
                    StepAction(
                        application=application,
                        cycle=1,
                        step=step.order,
                        role=role,
                        decision=Decision.APPROVE,
                        comment="同意",
                        actor=offices.get(role),
                        at=_at(day, 10),
                    )
                )
    StepAction.objects.bulk_create(actions, batch_size=500)
    Application.objects.filter(round=rnd).update(created_at=_at(held - dt.timedelta(days=25), 20))
    audit_record(
        school=school,
        actor=None,
        action="selection.demo.finished_round",
        target=rnd,
        new={"round": rnd.name, "applications": len(applications), "actions": len(actions)},
    )
    return rnd


def build_history(school: School, today: dt.date | None = None) -> dict:
    """Carry the seed school from 2020 to ``today`` (default: the real current date)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        h = History(school, today)
        h.calendar()
        chains = chains_ensure(actor=None, school=school)
        last = current_first_year(today)
        number = SEED_NUMBER
        if not h.union.rotation_slots.exists():
            h.rotate(2020)
        for year in range(FIRST_YEAR, last + 2):
            rng = random.Random(f"{data.SEED}-{year}")
            # The reviews of the academic year year-1 (held after each semester ends).
            prior = f"{year - 1}-{year}"
            for code, held in (
                (f"{prior}-1", dt.date(year, 1, 12)),
                (f"{prior}-2", dt.date(year, 7, 9)),
            ):
                if held <= today and code in h.semesters:
                    h.review(h.semesters[code], held, rng)
            if year > last or congress_day(year) > today:
                continue
            number += 1
            h.turnover(year, number, chains, rng)
            h.cohort(year, rng)
            refresh_statistics()
            if dt.date(year, 9, 3) < today:
                h.service_year(year, rng)
            if college_term_start(year) <= today:
                h.college_turnover(year, rng)
            h.rotate(year)
        h.relink_logins()
        # The last spring semester's records, so that pages judging "the last semester" today
        # have records for the current students.
        spring = f"{today.year - 1}-{today.year}-2"
        if spring in h.semesters and h.semesters[spring].end < today:
            h.records(h.semesters[spring], [today.year - 2, today.year - 1], set(), rng)
        audit_record(
            school=school,
            actor=None,
            action="org.demo.history",
            target=school,
            new={"until": today, **h.counts},
        )
    return dict(h.counts)
