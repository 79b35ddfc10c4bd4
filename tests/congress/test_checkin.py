"""Check-in: idempotent at the door, self check-in with the hall code in an open session, and the
projector's figures."""

import pytest

from tests.builders.congress import TODAY, build_hall
from tuanxue.congress.checkin import services as checkin
from tuanxue.congress.models import SessionStatus
from tuanxue.congress.sessions import services as sessions
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Title


@pytest.fixture
def hall(kit):
    return build_hall(kit)


def test_door_check_in_is_idempotent(hall):
    d = hall.delegates[1]
    first = checkin.delegate_check_in(
        actor=hall.league, session=hall.session, card_code=d.card_code
    )
    assert first.checked_in_at is not None and first.newly_checked_in
    again = checkin.delegate_check_in(
        actor=hall.league, session=hall.session, card_code=f"http://x/card/{d.card_code}/"
    )
    assert not again.newly_checked_in and again.checked_in_at == first.checked_in_at
    assert AuditEvent.objects.filter(action="congress.delegate.checked_in").count() == 1
    with pytest.raises(DomainError) as exc:
        checkin.delegate_check_in(actor=hall.league, session=hall.session, card_code="nope")
    assert exc.value.field == "card_code"


def test_door_staff_only(hall):
    code = hall.delegates[1].card_code
    for actor in (hall.member, hall.info_college, hall.delegate_user):
        with pytest.raises(DomainError) as exc:
            checkin.delegate_check_in(actor=actor, session=hall.session, card_code=code)
        assert exc.value.code == "forbidden"
    # A presidium member of the session's union keeps the door too.
    chair = hall.kit.user("chair")
    student = hall.kit.student(user=chair)
    hall.kit.post(
        student, hall.kit.school_union.bodies.get(kind="presidium"), Title.PRESIDIUM_MEMBER
    )
    assert checkin.delegate_check_in(
        actor=chair, session=hall.session, card_code=code
    ).newly_checked_in


def test_self_check_in_needs_the_hall_code_and_an_open_session(hall):
    d = hall.delegates[0]
    now = 1_800_000_000.0
    code = checkin.hall_code(hall.session, now)
    assert len(code) == 6 and code.isdigit()
    with pytest.raises(DomainError) as exc:  # on notice, not open yet
        checkin.delegate_self_check_in(
            actor=hall.delegate_user, session=hall.session, card_code=d.card_code, hall=code, at=now
        )
    assert exc.value.code == "state"
    sessions.session_open(actor=hall.league, session=hall.session)
    assert hall.session.status == SessionStatus.OPEN
    with pytest.raises(DomainError) as exc:  # someone else's phone
        checkin.delegate_self_check_in(
            actor=hall.member, session=hall.session, card_code=d.card_code, hall=code, at=now
        )
    assert exc.value.code == "forbidden"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(DomainError) as exc:
        checkin.delegate_self_check_in(
            actor=hall.delegate_user,
            session=hall.session,
            card_code=d.card_code,
            hall=wrong,
            at=now,
        )
    assert exc.value.field == "hall"
    with pytest.raises(DomainError):  # a code from five minutes ago
        checkin.delegate_self_check_in(
            actor=hall.delegate_user,
            session=hall.session,
            card_code=d.card_code,
            hall=checkin.hall_code(hall.session, now - 300),
            at=now,
        )
    # The previous minute's code is still accepted.
    done = checkin.delegate_self_check_in(
        actor=hall.delegate_user,
        session=hall.session,
        card_code=d.card_code,
        hall=checkin.hall_code(hall.session, now - 60),
        at=now,
    )
    assert done.checked_in_at is not None
    again = checkin.delegate_self_check_in(
        actor=hall.delegate_user, session=hall.session, card_code=d.card_code, hall=code, at=now
    )
    assert not again.newly_checked_in


def test_hall_code_changes_with_the_window_and_the_session(hall):
    t = 1_800_000_000.0 - (1_800_000_000.0 % 60)
    assert checkin.hall_code(hall.session, t) == checkin.hall_code(hall.session, t + 59)
    codes = {checkin.hall_code(hall.session, t + 60 * i) for i in range(20)}
    assert len(codes) > 15
    other = sessions.session_create(
        actor=hall.league,
        union=hall.kit.school_union,
        number=15,
        name="第十五次",
        held_on=TODAY,
        venue="v",
        roster_cutoff=TODAY,
    )
    assert checkin.hall_code(other, t) != checkin.hall_code(hall.session, t)


def test_projector_counts_and_quorum(hall, client):
    att = checkin.attendance(hall.session)
    # 0.667 × 3 = 2.001: the threshold is 3 (the setting is applied literally, rounded up).
    assert (att.entitled, att.present, att.threshold, att.reached) == (3, 0, 3, False)
    checkin.delegate_check_in(
        actor=hall.league, session=hall.session, card_code=hall.delegates[0].card_code
    )
    assert not checkin.attendance(hall.session).reached
    checkin.delegate_check_in(
        actor=hall.league, session=hall.session, card_code=hall.delegates[1].card_code
    )
    client.force_login(hall.member)
    url = f"/s/{hall.kit.school.code}/congress/{hall.session.pk}/projector.json"
    data = client.get(url).json()
    assert data["entitled"] == 3 and data["present"] == 2
    assert data["threshold"] == 3 and data["reached"] is False and data["quorum"] == "0.667"
    checkin.delegate_check_in(
        actor=hall.league, session=hall.session, card_code=hall.delegates[2].card_code
    )
    data = client.get(url).json()
    assert data["present"] == 3 and data["reached"] is True
    assert data["hall_code"] is None  # not open yet, and not door staff
    sessions.session_open(actor=hall.league, session=hall.session)
    assert client.get(url).json()["hall_code"] is None
    client.force_login(hall.league)
    assert client.get(url).json()["hall_code"] == checkin.hall_code(hall.session)


def test_guessing_the_hall_code_is_stopped(hall, settings):
    settings.CODE_ATTEMPT_LIMIT = 5
    sessions.session_open(actor=hall.league, session=hall.session)
    d = hall.delegates[0]
    right = checkin.hall_code(hall.session)
    messages = []
    for n in range(40):
        guess = f"{n:06d}"
        if guess == right:
            continue
        with pytest.raises(DomainError) as exc:
            checkin.delegate_self_check_in(
                actor=hall.delegate_user, session=hall.session, card_code=d.card_code, hall=guess
            )
        messages.append(exc.value.message)
    assert sum("错误次数过多" in m for m in messages) == len(messages) - 5
    with pytest.raises(DomainError) as exc:
        checkin.delegate_self_check_in(
            actor=hall.delegate_user, session=hall.session, card_code=d.card_code, hall=right
        )
    assert "错误次数过多" in exc.value.message
