"""Demand services: submit, record at the desk, forward, answer, rate, reopen, merge, reveal,
abuse reports; limits and refusals that change nothing; audit and notifications."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.builders.voice import TEXT, answer, submit  # noqa: F401
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent, Notification
from tuanxue.voice import moderation, services
from tuanxue.voice.deadlines.workdays import add_working_days
from tuanxue.voice.models import (
    AbuseStatus,
    Channel,
    Closure,
    Demand,
    DemandStatus,
    IdentityReveal,
    Supporter,
    VoicePolicy,
)


def texts(user):
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_submit_routes_sets_the_deadline_and_tells_the_department(w):
    demand = submit(w)
    assert demand.department == w.jiaowu
    assert demand.status == DemandStatus.OPEN
    assert demand.due_date == add_working_days(w.school, timezone.localdate(), 5)
    assert any(demand.reference in t for t in texts(w.jiaowu_user))
    assert any(demand.reference in t for t in texts(w.student_user))
    event = AuditEvent.objects.get(action="voice.demand.submitted")
    assert event.actor == w.student_user
    assert demand.steps.get().kind == "submitted"


def test_a_confidential_submission_leaves_no_trace_of_the_student_for_others(w):
    demand = submit(w, confidential=True)
    event = AuditEvent.objects.get(action="voice.demand.submitted", target_id=str(demand.pk))
    assert event.actor is None and event.actor_label == "system"
    assert w.student.name not in str(event.new) and w.student.student_no not in str(event.new)
    for user in (w.jiaowu_user, w.officer):
        for text in texts(user):
            assert w.student.name not in text and w.student.student_no not in text
    assert any("confidential" in t.lower() or "保密" in t for t in texts(w.officer))


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("title", "短", "title"),
        ("title", "标" * 61, "title"),
        ("text", "太短了", "text"),
        ("text", "字" * 1501, "text"),
        ("text", "请看 <script>alert(1)</script> 这里的问题很严重", "text"),
        ("title", "<b>加粗的标题</b>", "title"),
    ],
)
def test_bad_text_is_refused_naming_the_field(w, field, value, needle):
    with pytest.raises(DomainError) as exc:
        submit(w, **{field: value})
    assert exc.value.field == needle
    assert not Demand.objects.exists()


def test_the_daily_limit_per_student(w):
    VoicePolicy.objects.filter(school=w.school).update(daily_limit=2)
    submit(w)
    submit(w, title="第二个诉求的标题")
    with pytest.raises(DomainError) as exc:
        submit(w, title="第三个诉求的标题")
    assert exc.value.code == "limit"
    assert Demand.objects.count() == 2
    submit(w, user=w.other_user)  # another student is not limited by the first one
    assert Demand.objects.count() == 3


def test_only_students_submit_online(w):
    with pytest.raises(DomainError) as exc:
        submit(w, user=w.jiaowu_user)
    assert exc.value.code == "forbidden"


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (23.0, 7.0, 30.0), 3: "E", 4: (113.0, 19.0, 40.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photos_lose_their_location_metadata(w):
    raw = _photo_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)
    demand = submit(w, photos=[SimpleUploadedFile("a.jpg", raw, content_type="image/jpeg")])
    photo = demand.photos.get()
    with photo.image.open("rb") as fh:
        stored = fh.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert len(image.getexif()) == 0
    assert b"Exif" not in stored and b"PhoneMaker" not in stored


def test_png_text_chunks_are_dropped_too(w):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "23.1291N 113.2644E")
    out = io.BytesIO()
    Image.new("P", (16, 16), 3).save(out, "PNG", pnginfo=info)
    demand = submit(w, photos=[SimpleUploadedFile("p.png", out.getvalue())])
    with demand.photos.get().image.open("rb") as fh:
        stored = fh.read()
    assert b"Location" not in stored and b"113.2644" not in stored
    assert Image.open(io.BytesIO(stored)).size == (16, 16)


def test_photos_type_count_and_size_limits(w):
    bad = SimpleUploadedFile("a.gif", b"GIF89a" + b"\0" * 30, content_type="image/gif")
    with pytest.raises(DomainError) as exc:
        submit(w, photos=[bad])
    assert exc.value.field == "photos"
    many = [SimpleUploadedFile(f"{i}.jpg", _photo_with_gps()) for i in range(4)]
    with pytest.raises(DomainError):
        submit(w, photos=many)
    big = SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1))
    with pytest.raises(DomainError):
        submit(w, photos=[big])
    assert not Demand.objects.exists()


def test_desk_recording_for_a_present_and_an_anonymous_student(w):
    present = services.demand_record(
        actor=w.member_user,
        reception_day=w.reception,
        category=w.rights,
        title="宿舍热水供应不稳定",
        text="晚上九点以后热水经常中断，希望后勤检修。",
        student_no=w.other.student_no,
    )
    assert present.student == w.other and present.channel == Channel.DESK
    assert present.recorded_by == w.member_user and present.department == w.houqin
    anonymous = services.demand_record(
        actor=w.member_user,
        reception_day=w.reception,
        category=w.rights,
        title="食堂价格公示不清",
        text="部分窗口没有公示价格，希望统一公示。",
        confidential=True,
    )
    assert anonymous.student is None and anonymous.confidential is False
    with pytest.raises(DomainError) as exc:
        services.demand_record(
            actor=w.member_user,
            reception_day=w.reception,
            category=w.rights,
            title="不存在的学号测试",
            text="这是一条用于测试学号不存在的诉求。",
            student_no="NOPE",
        )
    assert exc.value.field == "student_no"
    with pytest.raises(DomainError) as exc:
        services.demand_record(
            actor=w.student_user,
            reception_day=w.reception,
            category=w.rights,
            title="学生自己登记",
            text="普通学生不能在接待台登记诉求。",
        )
    assert exc.value.code == "forbidden"


def test_forward_keeps_the_deadline_and_needs_a_reason(w):
    demand = submit(w)
    with pytest.raises(DomainError):
        services.demand_forward(actor=w.jiaowu_user, demand=demand, department=w.houqin, reason="")
    with pytest.raises(DomainError) as exc:
        services.demand_forward(
            actor=w.houqin_user, demand=demand, department=w.houqin, reason="不归我们"
        )
    assert exc.value.code == "forbidden"
    moved = services.demand_forward(
        actor=w.jiaowu_user, demand=demand, department=w.houqin, reason="图书馆归后勤管理"
    )
    assert moved.department == w.houqin and moved.due_date == demand.due_date
    assert any(demand.reference in t for t in texts(w.houqin_user))
    step = moved.steps.get(kind="forwarded")
    assert step.text == "图书馆归后勤管理" and step.department == w.houqin


def test_answer_rate_and_close(w):
    demand = submit(w)
    with pytest.raises(DomainError):
        answer(w, demand, closure=Closure.NOT_FEASIBLE)  # not feasible needs a reason
    done = answer(w, demand)
    assert done.status == DemandStatus.ANSWERED and done.on_time is True
    assert done.first_response_at is not None
    with pytest.raises(DomainError):
        answer(w, done)  # answered already
    with pytest.raises(DomainError) as exc:
        services.demand_rate(actor=w.other_user, demand=done, rating=5)
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.demand_rate(actor=w.student_user, demand=done, rating=6)
    rated = services.demand_rate(actor=w.student_user, demand=done, rating=4, comment="谢谢")
    assert rated.status == DemandStatus.CLOSED and rated.rating == 4
    assert any("4" in t for t in texts(w.jiaowu_user))


def test_reopen_once_within_the_window(w):
    demand = answer(w, submit(w))
    reopened = services.demand_reopen(actor=w.student_user, demand=demand, reason="还是没有延长")
    assert reopened.status == DemandStatus.OPEN and reopened.reopened_at is not None
    again = answer(w, reopened)
    assert again.first_response_at == reopened.first_response_at  # the first answer counts
    with pytest.raises(DomainError) as exc:
        services.demand_reopen(actor=w.student_user, demand=again, reason="再次重开")
    assert exc.value.code == "state"


def test_reopen_refused_after_the_window(w):
    demand = answer(w, submit(w))
    Demand.objects.filter(pk=demand.pk).update(answered_at=timezone.now() - dt.timedelta(days=8))
    demand.refresh_from_db()
    with pytest.raises(DomainError):
        services.demand_reopen(actor=w.student_user, demand=demand, reason="太晚了")


def test_merge_counts_supporters_and_tells_each_of_the_answer(w):
    first = submit(w)
    second = submit(w, user=w.other_user, title="图书馆闭馆太早")
    third_user = w.kit.user("stu3", student=True)
    third = submit(w, user=third_user, title="图书馆开放时间")
    target = services.demand_merge(actor=w.jiaowu_user, duplicate=second, into=first)
    target = services.demand_merge(actor=w.officer, duplicate=third, into=target)
    assert target.supporters == 3
    assert Supporter.objects.filter(demand=first).count() == 2
    second.refresh_from_db()
    assert second.status == DemandStatus.MERGED and second.merged_into == first
    with pytest.raises(DomainError):
        services.demand_merge(actor=w.jiaowu_user, duplicate=second, into=first)
    answer(w, first)
    for user in (w.student_user, w.other_user, third_user):
        assert any(first.reference in t and "教务处" in t for t in texts(user))
    # Department staff of another department may not merge.
    a, b = submit(w, title="另一个问题一"), submit(w, user=w.other_user, title="另一个问题二")
    with pytest.raises(DomainError) as exc:
        services.demand_merge(actor=w.houqin_user, duplicate=b, into=a)
    assert exc.value.code == "forbidden"


def test_identity_reveal_by_an_officer_only_and_audited(w):
    demand = submit(w, confidential=True)
    with pytest.raises(DomainError) as exc:
        moderation.identity_reveal(actor=w.league, demand=demand, reason="核实")
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        moderation.identity_reveal(actor=w.officer, demand=demand, reason="")
    student = moderation.identity_reveal(actor=w.officer, demand=demand, reason="需要当面回访")
    assert student == w.student
    reveal = IdentityReveal.objects.get()
    assert reveal.user == w.officer and reveal.reason == "需要当面回访"
    event = AuditEvent.objects.get(action="voice.identity.revealed")
    assert event.actor == w.officer and event.new == {"reason": "需要当面回访"}


def test_abuse_report_and_decision(w):
    demand = submit(w)
    with pytest.raises(DomainError):
        moderation.abuse_report(actor=w.other_user, demand=demand, reason="辱骂")
    report = moderation.abuse_report(actor=w.jiaowu_user, demand=demand, reason="含有辱骂内容")
    with pytest.raises(DomainError) as exc:
        moderation.abuse_report(actor=w.jiaowu_user, demand=demand, reason="再报一次")
    assert exc.value.code == "state"
    assert any(demand.reference in t for t in texts(w.league))
    with pytest.raises(DomainError) as exc:
        moderation.abuse_decide(actor=w.jiaowu_user, report=report, uphold=True, note="成立")
    assert exc.value.code == "forbidden"
    decided = moderation.abuse_decide(actor=w.league, report=report, uphold=True, note="内容不当")
    assert decided.status == AbuseStatus.UPHELD
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REMOVED
    assert AuditEvent.objects.filter(action="voice.abuse.upheld").count() == 1
