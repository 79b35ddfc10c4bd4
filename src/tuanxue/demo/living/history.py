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
    CongressSession,
)
from tuanxue.core.audit import audit_record
from tuanxue.core.models import School, Semester
from tuanxue.demo import org_data as data
from tuanxue.demo.living.congress import hold_congress
from tuanxue.demo.living.dates import (
    college_term_start,
    congress_day,
    current_first_year,
)
from tuanxue.demo.living.rounds import record_finished_round
from tuanxue.demo.living.semesters import PANEL, hold_review, serve_year
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
from tuanxue.selection.chains import chains_ensure

FIRST_YEAR = 2021  # the first year after the seed's
SEED_NUMBER = 14  # the seed's congress is the 14th
CLASS_SIZE = (36, 44)
TOP_SHARE = 0.30


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
        return hold_congress(self, year, number, winners, other, rng)

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
        hold_review(self, semester, held, rng)

    def service_year(self, year: int, rng) -> None:
        serve_year(self, year, rng)

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
