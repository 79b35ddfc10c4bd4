"""The rotating check-in token, its six-digit twin and the student's personal code."""

import datetime as dt

import pytest

from tuanxue.activities import qr

T0 = dt.datetime(2026, 9, 1, 8, 0, 0, tzinfo=dt.UTC)  # on a window boundary


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_valid_in_its_own_window():
    token = qr.make_token(7, now=at(1))
    check = qr.check_token(token, now=at(29))
    assert check.ok and check.activity_id == 7


def test_valid_in_the_next_window_only():
    token = qr.make_token(7, now=at(29))
    assert qr.check_token(token, now=at(31)).ok
    assert qr.check_token(token, now=at(59)).ok
    late = qr.check_token(token, now=at(60))
    assert not late.ok and late.problem == "expired"
    assert qr.check_token(token, now=at(3600)).problem == "expired"


def test_refused_two_windows_later():
    window = qr.window_index(at(100))
    token = qr.make_token(7, window=window - 2)
    check = qr.check_token(token, now=at(100))
    assert not check.ok and check.problem == "expired" and check.activity_id == 7


def test_a_future_window_is_refused():
    token = qr.make_token(7, window=qr.window_index(at(0)) + 1)
    assert qr.check_token(token, now=at(0)).problem == "invalid"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace("7.", "8.", 1),  # another activity
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # another signature
        lambda t: "7." + str(int(t.split(".")[1]) + 1) + "." + t.split(".")[2],  # a later window
        lambda t: t.rsplit(".", 1)[0],
        lambda t: "",
        lambda t: "abc.def.ghi",
    ],
)
def test_a_tampered_token_is_invalid(tamper):
    token = qr.make_token(7, now=at(5))
    check = qr.check_token(tamper(token), now=at(5))
    assert not check.ok and check.problem == "invalid"


def test_the_key_matters(settings):
    token = qr.make_token(7, now=at(5))
    settings.SECRET_KEY = "another-key-entirely-0123456789"
    assert qr.check_token(token, now=at(5)).problem == "invalid"


def test_window_length_follows_the_setting(settings):
    settings.CHECKIN_QR_SECONDS = 10
    token = qr.make_token(7, now=at(0))
    assert qr.check_token(token, now=at(19)).ok
    assert qr.check_token(token, now=at(20)).problem == "expired"
    assert qr.seconds_left(at(4)) == 6


def test_six_digit_code_rotates_with_the_qr():
    code = qr.make_code(7, now=at(3))
    assert len(code) == 6 and code.isdigit()
    assert qr.code_matches(7, code, now=at(3)) == qr.window_index(at(3))
    assert qr.code_matches(7, code, now=at(45)) == qr.window_index(at(3))
    assert qr.code_matches(7, code, now=at(60)) is None
    assert qr.code_matches(7, "12345", now=at(3)) is None
    assert qr.code_matches(7, "abcdef", now=at(3)) is None


class FakeStudent:
    pk = 42
    school_id = 3


def test_personal_code_names_the_student_for_a_while(settings):
    settings.CHECKIN_STUDENT_CODE_SECONDS = 300
    code = qr.make_student_code(FakeStudent())
    assert qr.read_student_code(code) == (3, 42)
    from django.utils import timezone

    later = timezone.now() + dt.timedelta(seconds=301)
    assert qr.read_student_code(code, now=later) is None


def test_personal_code_cannot_be_altered():
    code = qr.make_student_code(FakeStudent())
    assert qr.read_student_code(code.replace("3-42", "3-43")) is None
    assert qr.read_student_code("3-42") is None
    assert qr.read_student_code("") is None


def test_qr_svg_is_inline_markup():
    svg = qr.qr_svg("https://example.edu/s/x/checkin/1.2.abc/")
    assert svg.startswith("<svg") and "viewBox" in svg and "<script" not in svg
