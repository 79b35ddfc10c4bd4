"""Congress pages: who may open each (allowed / read-only / outsider 404 / anonymous), the forms
and buttons, and the cards PDF."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from pypdf import PdfReader

from tests.builders.congress import build_hall
from tests.pdfcheck import assert_pdf_sound
from tuanxue.congress.checkin import services as checkin
from tuanxue.congress.models import Delegate, DelegateStatus, Objection, SessionStatus
from tuanxue.congress.sessions import delegates as svc
from tuanxue.congress.sessions import services as sessions


@pytest.fixture
def hall(kit):
    return build_hall(kit)


PAGES = [
    # name, extra args, who besides the League committee may open it
    ("sessions", None, "all"),
    ("session", (), "all"),
    ("projector", (), "all"),
    ("projector_json", (), "all"),
    ("card", ("card",), "all"),
    ("object", ("delegate",), "all"),
    ("session_new", None, "league"),
    ("review", (), "league"),
    ("cards", (), "league"),
    ("cards_pdf", (), "league"),
    ("door", (), "league"),
    ("nominate", (), "branch"),
]


def page_url(hall, name, extra):
    code = hall.kit.school.code
    if extra is None:
        return reverse(f"congress:{name}", args=[code])
    args = [code, hall.session.pk]
    for item in extra:
        args.append(hall.delegates[0].card_code if item == "card" else hall.delegates[0].pk)
    return reverse(f"congress:{name}", args=args)


@pytest.mark.parametrize("name,extra,who", PAGES)
def test_every_page_for_every_kind_of_user(hall, client, other_kit, name, extra, who):
    url = page_url(hall, name, extra)
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response.url
    client.force_login(other_kit.user(student=True))
    assert client.get(url).status_code == 404
    client.force_login(hall.league)
    assert client.get(url).status_code == (403 if who == "branch" else 200)
    client.force_login(hall.member)
    assert client.get(url).status_code == (200 if who == "all" else 403)
    client.force_login(hall.info_college)
    assert client.get(url).status_code == (200 if who in ("all", "branch") else 403)
    client.force_login(hall.info_branch)
    assert client.get(url).status_code == (200 if who in ("all", "branch") else 403)


ACTIONS = [
    ("milestone_done", "milestone"),
    ("notice", None),
    ("open", None),
    ("close", None),
    ("elect", "delegate"),
    ("review_delegate", "delegate"),
    ("answer", "objection"),
]


@pytest.mark.parametrize("name,extra", ACTIONS)
def test_actions_refuse_others(hall, client, other_kit, name, extra):
    objection = svc.objection_file(actor=hall.member, delegate=hall.delegates[0], text="异议")
    ids = {
        "milestone": hall.session.milestones.first().pk,
        "delegate": hall.delegates[0].pk,
        "objection": objection.pk,
    }
    args = [hall.kit.school.code, hall.session.pk] + ([ids[extra]] if extra else [])
    url = reverse(f"congress:{name}", args=args)
    data = {"until": "2099-01-01", "confirmed": "0", "note": "n", "answer": "a"}
    assert client.post(url, data).status_code == 302  # to the login page
    client.force_login(other_kit.user(student=True))
    assert client.post(url, data).status_code == 404
    client.force_login(hall.member)
    assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 405


def test_session_page_shows_coverage_gaps_and_delegates(hall, client):
    extra = hall.kit.student(name="候选人甲")
    svc.delegate_nominate(actor=hall.info_branch, session=hall.session, student=extra)
    Delegate.objects.filter(pk=hall.delegates[2].pk).update(status=DelegateStatus.REJECTED)
    client.force_login(hall.member)
    body = client.get(page_url(hall, "session", ())).content.decode()
    assert hall.session.name in body and "候选人甲" in body
    assert "机电学院：0/1" in body and 'class="tag red"' in body
    assert extra.student_no not in body and extra.phone not in body  # no personal data
    assert reverse("congress:open", args=[hall.kit.school.code, hall.session.pk]) not in body
    client.force_login(hall.league)
    body = client.get(page_url(hall, "session", ())).content.decode()
    assert reverse("congress:open", args=[hall.kit.school.code, hall.session.pk]) in body
    # Opening with a gap is refused and the gap is named.
    response = client.post(
        reverse("congress:open", args=[hall.kit.school.code, hall.session.pk]), follow=True
    )
    assert "机电学院：0/1" in response.content.decode()
    hall.session.refresh_from_db()
    assert hall.session.status == SessionStatus.NOTICE


def test_create_nominate_elect_review_through_pages(hall, client):
    code = hall.kit.school.code
    client.force_login(hall.league)
    response = client.post(
        reverse("congress:session_new", args=[code]),
        {
            "number": 15,
            "name": "第十五次学生代表大会",
            "held_on": "2099-09-01",
            "venue": "报告厅",
            "roster_cutoff": "2099-06-01",
            "quorum": "0.5",
            "cosigners_needed": 10,
        },
    )
    assert response.status_code == 302
    new = hall.session.__class__.objects.get(number=15)
    assert new.milestones.count() == 6
    # The branch nominates a student of its class.
    student = hall.info_students[10]
    client.force_login(hall.info_branch)
    form = client.get(reverse("congress:nominate", args=[code, new.pk])).content.decode()
    assert student.name in form and hall.mech_students[0].name not in form
    response = client.post(
        reverse("congress:nominate", args=[code, new.pk]), {"student": student.pk}
    )
    assert response.status_code == 302
    delegate = Delegate.objects.get(session=new, student=student)
    client.force_login(hall.mech_college)
    assert (
        client.post(reverse("congress:elect", args=[code, new.pk, delegate.pk])).status_code == 403
    )
    client.force_login(hall.info_college)
    client.post(reverse("congress:elect", args=[code, new.pk, delegate.pk]))
    client.force_login(hall.league)
    client.post(
        reverse("congress:review_delegate", args=[code, new.pk, delegate.pk]),
        {"confirmed": "1", "note": ""},
    )
    delegate.refresh_from_db()
    assert delegate.status == DelegateStatus.CONFIRMED


def test_objection_form_and_answer(hall, client):
    code = hall.kit.school.code
    client.force_login(hall.member)
    url = page_url(hall, "object", ("delegate",))
    assert client.post(url, {"text": "不是本院学生"}).status_code == 302
    objection = Objection.objects.get()
    assert objection.filed_by == hall.member
    client.force_login(hall.league)
    body = client.get(page_url(hall, "session", ())).content.decode()
    assert "不是本院学生" in body
    client.post(
        reverse("congress:answer", args=[code, hall.session.pk, objection.pk]), {"answer": "已核实"}
    )
    objection.refresh_from_db()
    assert objection.answer == "已核实"


def test_cards_pdf_opens_and_has_the_names(hall, client):
    client.force_login(hall.league)
    response = client.get(page_url(hall, "cards_pdf", ()))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for delegate in hall.delegates:
        assert delegate.student.name in text
    html = client.get(page_url(hall, "cards", ())).content.decode()
    assert (
        html.count('class="dcard"') == 3 and 'class="segno"' in html and "page-break-after" in html
    )
    assert checkin.card_path(hall.delegates[0]) in checkin.card_url(hall.delegates[0])


def test_door_page_checks_in(hall, client):
    client.force_login(hall.league)
    url = page_url(hall, "door", ())
    response = client.post(url, {"card_code": hall.delegates[1].card_code}, follow=True)
    assert hall.delegates[1].student.name in response.content.decode()
    client.post(url, {"card_code": hall.delegates[1].card_code})
    assert checkin.attendance(hall.session).present == 1
    response = client.post(url, {"card_code": "wrong"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_card_page_self_check_in(hall, client):
    url = page_url(hall, "card", ("card",))
    client.force_login(hall.delegate_user)
    body = client.get(url).content.decode()
    assert 'class="segno"' in body and 'name="hall"' not in body  # not open yet
    sessions.session_open(actor=hall.league, session=hall.session)
    body = client.get(url).content.decode()
    assert 'name="hall"' in body
    response = client.post(
        url, {"hall": "000000" if checkin.hall_code(hall.session) != "000000" else "111111"}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(url, {"hall": checkin.hall_code(hall.session)})
    assert response.status_code == 302
    hall.delegates[0].refresh_from_db()
    assert hall.delegates[0].checked_in_at is not None
    # Another member only sees the card: no QR, no check-in.
    client.force_login(hall.member)
    body = client.get(url).content.decode()
    assert 'class="segno"' not in body and 'name="hall"' not in body
    assert client.post(url, {"hall": "123456"}).status_code == 403


def test_projector_page_refreshes_itself(hall, client):
    client.force_login(hall.member)
    body = client.get(page_url(hall, "projector", ())).content.decode()
    assert "setInterval(tick, 5000)" in body
    assert reverse("congress:projector_json", args=[hall.kit.school.code, hall.session.pk]) in body
    assert "<script src" not in body


def test_cards_pdf_embeds_its_font_and_renders_without_system_fonts(hall, tmp_path):
    data = checkin.cards_pdf(hall.session, hall.delegates)
    assert_pdf_sound(data, hall.delegates[0].student.name, tmp_path / "cards")
    empty = checkin.cards_pdf(hall.session, [])
    assert_pdf_sound(empty, gettext("No confirmed delegates yet."), tmp_path / "empty")
