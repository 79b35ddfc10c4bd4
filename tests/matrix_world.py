"""The world the permission matrix crawls: one school with everything in it, a second school, and
one user per role. Built through the services (a few rows the services only produce at the end
of a long flow, such as checked-in delegates and an attendance row, are created directly, as the
app's other tests do).

Imported only by ``tests/test_permission_matrix.py``.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image

from tests.conftest import SchoolKit
from tuanxue.activities import services as activity_services
from tuanxue.activities.models import Attendance, CheckMethod, SignupMode
from tuanxue.activities.proposals.services import proposal_create
from tuanxue.activities.volunteer import projects as signup_projects
from tuanxue.activities.volunteer import signup as signup_services
from tuanxue.charter import services as charter_services
from tuanxue.congress.models import Delegate, DelegateStatus
from tuanxue.congress.polls import ballots, decisions, motions
from tuanxue.congress.polls import services as polls
from tuanxue.congress.sessions import delegates as delegate_services
from tuanxue.congress.sessions import services as sessions
from tuanxue.core.api import tokens
from tuanxue.core.notify import notify
from tuanxue.federation import services as federation_services
from tuanxue.ledger import services as ledger
from tuanxue.linkage import access as linkage_access
from tuanxue.linkage import classes as linkage_classes
from tuanxue.linkage import services as linkage
from tuanxue.linkage.models import ClassRoleKind, CollegeCopy, NoticeKind, Sender
from tuanxue.org import services
from tuanxue.org.imports.jobs import CHECK_JOB, import_job_create
from tuanxue.org.jobs.services import job_start
from tuanxue.org.models import ImportKind, Major, Role, Title
from tuanxue.org.people import services as people_services
from tuanxue.org.people.accounts import account_link
from tuanxue.oversight import filing as oversight_filing
from tuanxue.oversight import services as oversight
from tuanxue.oversight.models import FilingDecisionKind, FilingKind, HearingTopic
from tuanxue.review import services as review_services
from tuanxue.review.models import DisciplineKind, PanelKind, RemovalProposal, StudyKind
from tuanxue.review.records import discipline as review_discipline
from tuanxue.review.records import study as review_study
from tuanxue.selection import services as selection_services
from tuanxue.selection.exits import services as exits
from tuanxue.selection.rounds import services as rounds
from tuanxue.transcript.batch import transcript_batch_start
from tuanxue.transcript.services import transcript_issue
from tuanxue.voice import moderation as voice_moderation
from tuanxue.voice import services as voice_services
from tuanxue.voice.setup import services as voice_setup

# The roles of the matrix, in the order the tables list them.
ROLES = [
    "anon",  # not logged in
    "student",  # a student of the school with no post
    "staff",  # a union staff member (干事)
    "presidium",  # a presidium member of the school union
    "league",  # the school League committee
    "affairs",  # Student Affairs
    "college",  # the League committee of another college than the records'
    "outsider",  # the League committee of another school
    "federation",  # the provincial student federation
    "scrutineer",  # a school office holder who signed the closed poll's result
    "delegate",  # a confirmed, checked-in delegate of the congress session who voted, and
    # their class's study committee member this term (so a reader of the class's notices)
]


class World:
    def __init__(self):
        now = timezone.now()
        kit = SchoolKit(code="mx", name="矩阵职业技术学院").adopt_seed_charter()
        self.kit = kit
        self.school = kit.school
        school = kit.school
        # A second college, whose League committee is the "college" role.
        self.other_college = services.college_create(actor=None, school=school, name="机电学院")
        major = Major.objects.create(school=school, college=self.other_college, name="机电一体化")
        services.class_group_create(
            actor=None,
            school=school,
            college=self.other_college,
            major=major,
            name="机电2101",
            grade=2021,
        )
        self.union = kit.school_union
        self.department = kit.department("文艺部", "文艺活动")
        self.presidium_body = kit.presidium

        u = {}
        u["student"] = kit.user("mx_student", student=True)
        u["staff"] = kit.user("mx_staff")
        self.staff_post = kit.post(kit.student(user=u["staff"]), self.department, Title.STAFF)
        u["presidium"] = kit.user("mx_presidium")
        kit.post(kit.student(user=u["presidium"]), self.presidium_body, Title.PRESIDIUM_MEMBER)
        u["league"] = kit.user("mx_league", role=Role.SCHOOL_LEAGUE)
        u["affairs"] = kit.user("mx_affairs", role=Role.STUDENT_AFFAIRS)
        u["college"] = kit.user("mx_college")
        services.role_grant_create(
            actor=None,
            user=u["college"],
            role=Role.COLLEGE_LEAGUE,
            school=school,
            college=self.other_college,
        )
        self.other = SchoolKit(code="mxo", name="另一所职业学院")
        u["outsider"] = self.other.user("mx_outsider", role=Role.SCHOOL_LEAGUE)
        u["federation"] = kit.user("mx_federation", role=Role.FEDERATION)
        u["scrutineer"] = kit.user("mx_scrutineer", role=Role.SCHOOL_PARTY)
        u["delegate"] = kit.user("mx_delegate")
        self.users = u

        # Accounts that create records (deleted in the item-15 crawl).
        self.round_creator = kit.user("mx_round_creator", role=Role.SCHOOL_LEAGUE)
        self.uploader = kit.user("mx_uploader", role=Role.STUDENT_AFFAIRS)
        self.organiser = kit.user("mx_organiser")
        kit.post(kit.student(user=self.organiser), self.department, Title.MINISTER)
        self.certifier = kit.user("mx_certifier", role=Role.SCHOOL_LEAGUE)

        # A plain student of the records' college with records about them.
        self.volunteer_user = kit.user("mx_volunteer")
        self.volunteer = kit.student(user=self.volunteer_user, name="志愿者甲")

        # -- recruitment: an open round with one application --------------------------------
        self.round = rounds.round_open(
            actor=self.round_creator,
            union=self.union,
            name="2020-2021学年校学生会遴选",
            term_start=dt.date(2020, 9, 1),
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=7),
            seats=[(self.department, Title.STAFF, 2)],
        )
        self.applicant_user = kit.user("mx_applicant")
        self.applicant = kit.good_student("申请人", user=self.applicant_user)
        self.application = selection_services.application_submit(
            actor=self.applicant_user,
            rnd=self.round,
            seat=self.round.seats.get(),
            statement="我愿意为同学服务，也有相关的工作经验。",
        )

        # -- an activity (filed, then approved), its check-in and a volunteer project -------
        start = now + dt.timedelta(days=3)
        self.activity = activity_services.activity_create(
            actor=self.organiser,
            school=school,
            organiser_body=self.department,
            title="新生文艺汇演",
            description="迎新晚会",
            area="culture_sports",
            brands=[],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
            place="大礼堂",
            capacity=None,
            audience_colleges=[],
            audience_grades=[],
            credit=Decimal("2.00"),
            credit_unit="points",
            external_contact="校外合作方 王老师 13800000000",
        )
        activity_services.activity_submit(actor=self.organiser, activity=self.activity)
        activity_services.activity_decide(
            actor=u["league"], activity=self.activity, decision="approve", comment=""
        )
        self.activity.refresh_from_db()
        self.project = signup_projects.project_create(
            actor=u["league"],
            activity=self.activity,
            title="文艺汇演志愿者",
            description="引导、检票",
            mode=SignupMode.FIRST_COME,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=1),
            withdraw_until=now + dt.timedelta(hours=12),
            roles=[
                {
                    "name": "引导员",
                    "slots": 5,
                    "shift_starts_at": start,
                    "shift_ends_at": start + dt.timedelta(hours=2),
                }
            ],
        )
        self.volunteer_role = self.project.roles.get()
        self.signup, _ = signup_services.signup(
            actor=self.volunteer_user, project=self.project, role=self.volunteer_role
        )
        self.attendance = Attendance.objects.create(
            school=school,
            activity=self.activity,
            student=self.volunteer,
            checked_in_at=now,
            check_in_method=CheckMethod.HAND,
        )
        self.proposal = proposal_create(
            actor=self.volunteer_user,
            body=self.department,
            title="周末观影会",
            goal="丰富同学们的周末课余文化生活",
            audience="全校学生",
            budget=Decimal("200"),
            organisers="志愿者甲",
            support_until=now + dt.timedelta(days=7),
        )

        # -- the ledger ----------------------------------------------------------------------
        self.entry = ledger.credit_record(
            actor=None,
            student=self.volunteer,
            category="activity",
            amount=Decimal("2"),
            unit="points",
            source_type="activity",
            source_id=str(self.activity.pk),
            source_label=self.activity.title,
        )
        ledger.certify_batch(actor=self.certifier, school=school, entries=[self.entry])

        # -- a registry import (kept, refused for its content) -------------------------------
        self.import_job = import_job_create(
            actor=self.uploader,
            school=school,
            kind=ImportKind.STUDENTS,
            filename="students.csv",
            content="学号,姓名\nX1,\n".encode(),
        )

        # -- a resignation request by the staff member ---------------------------------------
        self.resignation = exits.resignation_request(
            actor=u["staff"], membership=self.staff_post, reason="学业繁忙"
        )

        # -- the congress: a session, delegates, an objection, a motion, a closed poll -------
        self.session = sessions.session_create(
            actor=u["league"],
            union=self.union,
            number=14,
            name="第十四次学生代表大会",
            held_on=timezone.localdate() + dt.timedelta(days=10),
            venue="大礼堂",
            roster_cutoff=timezone.localdate() - dt.timedelta(days=30),
            cosigners_needed=2,
        )
        self.delegate_students = [kit.student(user=u["delegate"])] + [
            kit.student(user=kit.user()) for _ in range(2)
        ]
        self.delegates = [
            Delegate.objects.create(
                session=self.session,
                student=student,
                college=kit.college,
                status=DelegateStatus.CONFIRMED,
                checked_in_at=now,
            )
            for student in self.delegate_students
        ]
        sessions.notice_start(
            actor=u["league"],
            session=self.session,
            until=timezone.localdate() + dt.timedelta(days=3),
        )
        self.session.refresh_from_db()
        self.objection = delegate_services.objection_file(
            actor=u["student"], delegate=self.delegates[0], text="该代表未参加选举会议。"
        )
        self.motion = motions.motion_create(
            actor=u["league"],
            session=self.session,
            kind="presidium",
            title="关于工作报告的决议",
            text="大会同意工作报告。",
            majority="half",
            base="present",
        )
        candidates = [kit.student(name=name) for name in ("王甲", "李乙", "张丙")]
        poll = polls.poll_create_election(
            actor=u["league"],
            session=self.session,
            title="主席团选举",
            seats=2,
            candidates=candidates,
            write_in=False,
        )
        poll = polls.poll_open(actor=u["league"], poll=poll)
        first = poll.candidates.get(student__name="王甲").pk
        for student in self.delegate_students:
            ballots.ballot_cast(actor=student.user, poll=poll, choice=[first])
        self.poll = decisions.poll_close(actor=u["league"], poll=poll)
        ballots.signoff(actor=u["scrutineer"], poll=self.poll)

        # -- the published self-assessment table of 2020 ----------------------------------------
        charter_services.assessment_save(
            actor=u["league"],
            school=school,
            year=2020,
            assessed_on=dt.date(2020, 9, 1),
            narrative={},
            published=True,
        )
        # The self-assessment submitted to the federation (a frozen copy with its documents).
        self.submission = federation_services.submission_create(
            actor=u["league"], school=school, day=dt.date(2020, 9, 30)
        )

        # -- the student's own things: a notification and an API token ----------------------
        self.notification = notify(
            users=[u["student"]], school=school, text="欢迎", url=f"/s/{school.code}/"
        )[0]
        self.token, _key = tokens.token_create(actor=u["student"], user=u["student"], name="mx")

        # -- the volunteer's issued transcript and a queued batch for their college ---------
        self.transcript = transcript_issue(actor=u["league"], student=self.volunteer)[0]
        self.transcript_batch = transcript_batch_start(actor=u["league"], target=kit.college)
        self._people_records_calendar(u)
        self._review(u)
        self._voice(u)
        self._oversight(u)
        self._linkage(u)

        # An API token for every role that logs in.
        self.keys = {
            role: tokens.token_create(actor=user, user=user, name=f"mx-{role}")[1]
            for role, user in u.items()
        }

    # -- the people pages, the records, the calendar ---------------------------------------------

    def _people_records_calendar(self, u):
        kit, school, league = self.kit, self.school, u["league"]
        self.staff_person = people_services.staff_create(
            actor=league, school=school, staff_no="T-MX-01", name="陈老师", unit="教务处"
        )
        self.granted_user = kit.user("mx_granted")
        account_link(actor=league, school=school, user=self.granted_user, staff=self.staff_person)
        self.grant = people_services.role_grant_give(
            actor=league,
            school=school,
            user=self.granted_user,
            role=Role.COLLEGE_LEAGUE,
            college=self.other_college,
        )
        # A background job of the uploader's (the import's check, queued).
        self.background = job_start(
            actor=self.uploader,
            school=school,
            kind=CHECK_JOB,
            params={"import": self.import_job.pk},
        )
        self.attestation = charter_services.attestation_add(
            actor=league,
            school=school,
            item_code="12",
            title="党委会议纪要",
            dated=dt.date(2020, 9, 1),
            summary="听取学生会工作汇报",
            upload=SimpleUploadedFile("minutes.pdf", _pdf()),
        )
        self.congress_record = charter_services.congress_record_add(
            actor=league,
            school=school,
            union=self.union,
            name="第十三次学生代表大会",
            held_on=dt.date(2019, 8, 26),
            delegates=150,
            elected_presidium=True,
        )
        # The semester the review is about (its academic year comes with it).
        self.semester = services.semester_ensure(actor=league, school=school, code="2020-2021-1")
        self.year = self.semester.academic_year
        # Password reset: the link the student would have received by e-mail.
        student = u["student"]
        self.reset_uid = urlsafe_base64_encode(force_bytes(student.pk))
        self.reset_token = default_token_generator.make_token(student)

    # -- a duty review: open, with its panel and reviewees; discipline and study --------------------

    def _review(self, u):
        kit, league = self.kit, u["league"]
        self.review = review_services.session_create(
            actor=league,
            union=self.union,
            semester=self.semester,
            held_on=dt.date(2020, 12, 20),
            place="行政楼会议室",
        )
        self.panel_reps = [kit.user(f"mx_rep{i}", student=True) for i in range(3)]
        review_services.panel_set(
            actor=league,
            session=self.review,
            members=[
                *[(rep, PanelKind.STUDENT) for rep in self.panel_reps],
                (u["affairs"], PanelKind.STUDENT_AFFAIRS),
                (league, PanelKind.LEAGUE),
            ],
        )
        self.review = review_services.session_open(actor=league, session=self.review)
        # The presidium member reports on their post.
        self.reviewee = self.review.reviewees.get(membership__student__user=u["presidium"])
        # A sanction of the staff member opens a removal proposal on their post.
        self.discipline = review_discipline.discipline_record(
            actor=league,
            union=self.union,
            student=self.staff_post.student,
            kind=DisciplineKind.SANCTION,
            basis="《学生会工作人员管理办法》第十条",
            facts="多次无故缺席部门例会。",
            decided_by="校团委",
            decided_on=dt.date(2020, 11, 2),
        )
        self.removal = RemovalProposal.objects.get(discipline=self.discipline)
        self.study = review_study.study_create(
            actor=league,
            union=self.union,
            kind=StudyKind.values[0],
            topic="学习《学生会干部自律公约》",
            held_on=dt.date(2020, 10, 9),
        )

    # -- the student voice: set up, a demand with a photo, reported as abusive ---------------------

    def _voice(self, u):
        kit, school, league = self.kit, self.school, u["league"]
        from tuanxue.voice.models import Category

        voice_setup.voice_setup(actor=None, school=school)
        self.voice_dept = voice_setup.department_create(
            actor=None, school=school, name="教务处", order=1
        )
        self.voice_user = kit.user("mx_jiaowu")
        teacher = people_services.staff_create(
            actor=league, school=school, staff_no="T-MX-02", name="刘老师", unit="教务处"
        )
        account_link(actor=league, school=school, user=self.voice_user, staff=teacher)
        voice_setup.department_staff_add(actor=league, department=self.voice_dept, staff=teacher)
        category = Category.objects.get(school=school, code="academic")
        voice_setup.category_update(
            actor=None, category=category, deadline_days=5, default_department=self.voice_dept
        )
        self.reception = voice_setup.reception_day_create(
            actor=league,
            school=school,
            date=timezone.localdate(),
            starts=dt.time(14, 0),
            ends=dt.time(17, 0),
            place="第一食堂门口",
            campus="主校区",
            members=[],
        )
        self.demand = voice_services.demand_submit(
            actor=self.volunteer_user,
            school=school,
            category=category,
            title="考试周延长图书馆开放时间",
            text="考试周期间图书馆晚上十点就关门，希望能延长到十一点。",
            photos=[SimpleUploadedFile("p.png", _png())],
        )
        self.photo = self.demand.photos.get()
        self.abuse = voice_moderation.abuse_report(
            actor=self.voice_user, demand=self.demand, reason="核实内容"
        )

    # -- oversight: a report heard with its minutes; a filing of the union, returned ---------------

    def _oversight(self, u):
        school, league = self.school, u["league"]
        self.hearing = oversight.hearing_add(
            actor=league,
            school=school,
            union=self.union,
            held_on=dt.date(2020, 6, 29),
            meeting="校党委常委会",
            topics=[HearingTopic.CONGRESS, HearingTopic.CANDIDATES],
            summary="同意学生代表大会筹备方案",
            upload=SimpleUploadedFile("纪要.pdf", _pdf()),
        )
        # Filed by the presidium member for the school union; returned for a missing detail.
        self.filing = oversight_filing.filing_submit(
            actor=u["presidium"],
            union=self.union,
            kind=FilingKind.EXTERNAL,
            title="与兄弟院校学生会交流",
            content="赴兄弟院校交流学生会改革经验，六人参加。",
            occurs_on=dt.date(2020, 10, 15),
            counterpart="兄弟院校学生会",
        )
        oversight_filing.filing_decide(
            actor=league,
            filing=self.filing,
            decision=FilingDecisionKind.RETURN,
            reason="请写明参加人员名单",
        )
        self.filing.refresh_from_db()

    # -- the linkage: a task sent to every college; the records' college forwarded it to its
    # class and both reported it done with a file; the delegate holds a class role -------------

    def _linkage(self, u):
        kit, school, league = self.kit, self.school, u["league"]
        self.class_group = kit.class_group  # the class of every student of the world
        term = linkage_access.term_on(school, timezone.localdate())
        self.class_role = linkage_classes.class_role_set(
            actor=league,
            class_group=self.class_group,
            semester=term,
            role=ClassRoleKind.STUDY,
            student=self.delegate_students[0],
        )
        self.notice = linkage.notice_send(
            actor=league,
            school=school,
            kind=NoticeKind.TASK,
            sender=Sender.LEAGUE,
            title="报送班级团员教育评议台账",
            body="请各学院转发至班级团支部，按期报送。",
            deadline=timezone.now() + dt.timedelta(days=7),
        )
        college_copy = CollegeCopy.objects.get(notice=self.notice, college=kit.college)
        [class_copy] = linkage.college_forward(actor=None, copy=college_copy)
        linkage.copy_report_done(
            actor=u["delegate"],
            copy=class_copy,
            report="已召开团员大会完成评议",
            file=SimpleUploadedFile("class.pdf", _pdf()),
        )
        linkage.copy_report_done(
            actor=None,
            copy=college_copy,
            report="全院班级均已完成",
            file=SimpleUploadedFile("college.pdf", _pdf()),
        )


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 0)).save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "minutes")
    page.save()
    return out.getvalue()
