"""The operator reads the commands' output in Chinese: labels, not key=value."""

from __future__ import annotations

import contextlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args) -> str:
    out = io.StringIO()
    # assess exits 1 when a core item fails; the text is what matters here
    with contextlib.suppress(SystemExit):
        call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_school_add_and_list_in_chinese():
    assert "已添加学校 xyz：某某职业技术学院" in run("school", "add", "xyz", "某某职业技术学院")
    listing = run("school", "list")
    assert "0 个学院" in listing and "=" not in listing


@pytest.mark.django_db
def test_assess_text_says_passed_or_not_in_chinese(kit):
    text = run("assess", "--school", kit.school.code, "--date", "2020-09-30")
    assert "未通过" in text
    assert "[核心项]" in text
    assert "NOT PASSED" not in text and "✗" not in text


@pytest.mark.django_db
def test_quota_and_remind_in_chinese(kit):
    assert "代表名额" in run("congress", "quota", "--school", kit.school.code)
    assert "已发送 0 条提醒" in run("remind")


@pytest.mark.django_db
def test_unknown_school_is_named_in_chinese():
    with pytest.raises(CommandError, match="没有代码为 'nope' 的学校"):
        call_command("assess", "--school", "nope")
