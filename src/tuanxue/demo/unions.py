"""Staffing the demo school's unions: who holds which post, and the students who get a login."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from tuanxue.demo import org_data as data
from tuanxue.demo.people import DemoStudents, Roster
from tuanxue.org import services
from tuanxue.org.models import (
    ClassGroup,
    College,
    Department,
    PoliticalStatus,
    Student,
    Title,
    Union,
)


@dataclass
class Post:
    student: Student
    body_name: str
    title: str


class UnionPlan:
    """Chooses the union staff: League members with a record, within each cohort's top places."""

    def __init__(self, rng: random.Random, roster: Roster):
        self.rng = rng
        self.roster = roster
        self.chosen: set[int] = set()
        self.used = Counter()
        self.pools: dict[int, list[Student]] = {}
        self.school_posts: list[Post] = []
        self.earlier_posts: dict[int, tuple[str, str]] = {}  # student pk -> (body, title)
        self.college_posts: dict[int, list[Post]] = {}
        self.college_bodies: dict[int, list[str]] = {}
        for student in roster.students:
            if (
                student.political_status == PoliticalStatus.LEAGUE_MEMBER
                and student.grade in data.RECORD_GRADES
            ):
                self.pools.setdefault(student.college_id, []).append(student)
        for pool in self.pools.values():
            rng.shuffle(pool)
            # Second-year students first; third-year students when a cohort is full.
            pool.sort(key=lambda s: s.grade != 2019)

    def pick(self, college_id: int) -> Student:
        for student in self.pools[college_id]:
            if student.pk in self.chosen:
                continue
            cohort = self.roster.cohort_of(student)
            key = (student.major_id, student.grade)
            if self.used[key] >= cohort.top_places - 1:
                continue
            self.used[key] += 1
            self.chosen.add(student.pk)
            return student
        raise RuntimeError("the demo roster has too few eligible students")

    def plan_school_union(self, colleges: list[College]) -> None:
        slots = [c.pk for c in colleges] * 4
        self.rng.shuffle(slots)
        slots = iter(slots)
        titles = [("主席团", Title.EXECUTIVE_CHAIR)] + [("主席团", Title.PRESIDIUM_MEMBER)] * 4
        for (name, _remit), staff in zip(
            data.SCHOOL_DEPARTMENTS, data.SCHOOL_DEPARTMENT_STAFF, strict=True
        ):
            titles += [(name, Title.MINISTER), (name, Title.VICE_MINISTER)]
            titles += [(name, Title.STAFF)] * staff
        for body, title in titles:
            self.school_posts.append(Post(self.pick(next(slots)), body, title))
        # All of the presidium and a draw of the others came up through a college union.
        others = self.rng.sample(range(5, len(self.school_posts)), data.FROM_COLLEGE_UNIONS - 5)
        for index in list(range(5)) + sorted(others):
            post = self.school_posts[index]
            if post.title in (Title.EXECUTIVE_CHAIR, Title.PRESIDIUM_MEMBER):
                earlier = Title.MINISTER
            elif post.title == Title.STAFF:
                earlier = Title.STAFF
            else:
                earlier = self.rng.choice([Title.STAFF, Title.VICE_MINISTER])
            self.earlier_posts[post.student.pk] = ("", earlier)

    def plan_college_union(self, college: College) -> None:
        rng = self.rng
        count = rng.choice([4, 5, 5, 6])
        bodies = [name for name, _remit in data.COLLEGE_DEPARTMENTS[:count]]
        self.college_bodies[college.pk] = bodies
        presidium = rng.choice([2, 3])
        heads = [rng.choice([2, 3]) for _ in bodies]
        target = rng.randint(22, 28)
        staff = [1] * len(bodies)
        while presidium + sum(heads) + sum(staff) < target:
            open_bodies = [i for i, s in enumerate(staff) if s < 6]
            staff[rng.choice(open_bodies)] += 1
        posts = [Post(self.pick(college.pk), "主席团", Title.EXECUTIVE_CHAIR)]
        posts += [
            Post(self.pick(college.pk), "主席团", Title.PRESIDIUM_MEMBER)
            for _ in range(presidium - 1)
        ]
        for name, head_count, staff_count in zip(bodies, heads, staff, strict=True):
            posts.append(Post(self.pick(college.pk), name, Title.MINISTER))
            posts += [
                Post(self.pick(college.pk), name, Title.VICE_MINISTER)
                for _ in range(head_count - 1)
            ]
            posts += [Post(self.pick(college.pk), name, Title.STAFF) for _ in range(staff_count)]
        self.college_posts[college.pk] = posts
        for post in self.school_posts:
            if post.student.college_id == college.pk and post.student.pk in self.earlier_posts:
                _body, title = self.earlier_posts[post.student.pk]
                self.earlier_posts[post.student.pk] = (rng.choice(bodies), title)

    def appoint(self, union: Union) -> None:
        """Record every post through the membership service, oldest first."""
        bodies = {
            (d.union_id, d.name): d for d in Department.objects.filter(union__school=union.school)
        }
        unions = {u.college_id: u for u in Union.objects.filter(school=union.school)}
        for (name, remit), order in zip(data.SCHOOL_DEPARTMENTS, range(1, 7), strict=True):
            bodies[(union.pk, name)] = services.department_create(
                actor=None, union=union, name=name, remit=remit, order=order
            )
        remits = dict(data.COLLEGE_DEPARTMENTS)
        for college_id, names in self.college_bodies.items():
            college_union = unions[college_id]
            for order, name in enumerate(names, start=1):
                bodies[(college_union.pk, name)] = services.department_create(
                    actor=None, union=college_union, name=name, remit=remits[name], order=order
                )
        for post in self.school_posts:
            if post.student.pk not in self.earlier_posts:
                continue
            body_name, title = self.earlier_posts[post.student.pk]
            services.membership_create(
                actor=None,
                body=bodies[(unions[post.student.college_id].pk, body_name)],
                student=post.student,
                title=title,
                start=data.EARLIER_POST_START[post.student.grade],
                end=data.EARLIER_POST_END,
                end_reason="transfer",
                source="demo",
            )
        for post in self.school_posts:
            services.membership_create(
                actor=None,
                body=bodies[(union.pk, post.body_name)],
                student=post.student,
                title=post.title,
                start=data.CONGRESS_DAY,
                source="demo",
            )
        for college_id, posts in self.college_posts.items():
            for post in posts:
                services.membership_create(
                    actor=None,
                    body=bodies[(unions[college_id].pk, post.body_name)],
                    student=post.student,
                    title=post.title,
                    start=data.COLLEGE_TERM_START,
                    source="demo",
                )


def login_students(
    roster: Roster,
    plan: UnionPlan,
    classes: list[ClassGroup],
    secretaries: dict[int, Student],
    colleges: list[College],
) -> DemoStudents:
    posts = plan.school_posts
    rights = [p for p in posts if p.body_name == "学习权益部"]
    branch_class = next(c for c in classes if c.college_id == colleges[0].pk and c.grade == 2019)
    busy = plan.chosen | {s.pk for s in secretaries.values()}

    def free(college: College, grade: int, league: bool) -> Student:
        return min(
            (
                s
                for s in roster.students
                if s.college_id == college.pk
                and s.grade == grade
                and s.pk not in busy
                and (s.political_status == PoliticalStatus.LEAGUE_MEMBER) == league
            ),
            key=lambda s: s.student_no,
        )

    return DemoStudents(
        executive_chair=posts[0].student,
        presidium_member=posts[1].student,
        minister=next(p.student for p in rights if p.title == Title.MINISTER),
        staff_member=next(p.student for p in rights if p.title == Title.STAFF),
        branch_secretary=secretaries[branch_class.pk],
        delegate=free(colleges[1], 2019, league=True),
        plain=free(colleges[1], 2020, league=True),
    )
