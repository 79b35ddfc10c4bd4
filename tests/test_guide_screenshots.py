"""The user guide's screenshots: every page the script shoots still exists in the demo and
answers 200 to the role that the guide shows it for, and every image the guides show is one the
script takes. No browser runs here; `make screenshots` takes the pictures."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tuanxue.demo.org import build_demo, remove_demo_school
from tuanxue.demo.org_data import DEMO_USERNAMES

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "docs" / "screenshots" / "take.py"
GUIDES = [ROOT / "docs" / "guide-zh.md", ROOT / "docs" / "guide-en.md"]


def _load_script():
    spec = importlib.util.spec_from_file_location("guide_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


take = _load_script()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo()
        yield
        remove_demo_school()


def test_the_list_is_sane():
    names = [shot.file for shot in take.SHOTS]
    assert len(names) == len(set(names)), "two shots would write the same file"
    for shot in take.SHOTS:
        assert shot.user is None or shot.user in DEMO_USERNAMES, shot.file
        assert re.fullmatch(r"[a-z0-9-]+", shot.file), shot.file


@pytest.mark.parametrize("shot", take.SHOTS, ids=lambda shot: shot.file)
def test_each_page_answers_its_role(shot, demo, db, client):
    path = shot.path()  # reverse() raises NoReverseMatch when a page was renamed or moved
    if shot.user:
        client.force_login(get_user_model().objects.get(username=shot.user))
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, f"{shot.file}: {path} answered {response.status_code}"


def test_the_guides_show_only_images_the_script_takes():
    taken = {shot.filename for shot in take.SHOTS}
    for guide in GUIDES:
        shown = set(re.findall(r"screenshots/([a-z0-9-]+\.jpg)", guide.read_text(encoding="utf-8")))
        assert shown, f"{guide.name} shows no screenshot"
        assert shown <= taken, f"{guide.name} shows images no script takes: {shown - taken}"
        missing = {name for name in shown if not (ROOT / "docs" / "screenshots" / name).exists()}
        assert not missing, f"{guide.name} shows images that were not taken: {missing}"


def test_every_image_on_disk_is_small():
    for image in (ROOT / "docs" / "screenshots").glob("*.jpg"):
        assert image.stat().st_size < 200 * 1024, f"{image.name} is too large"


# -- the links the guide tells people to follow --------------------------------------------------


def _page(client, username: str, path: str) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_congress_session_links_to_its_polls_and_minutes(demo, db, client):
    session_id = take._congress()
    page = _page(client, "daibiao", reverse("congress:session", args=["gdgm", session_id]))
    assert f'href="{reverse("polls:session", args=["gdgm", session_id])}"' in page
    assert f'href="{reverse("minutes:page", args=["gdgm", session_id])}"' in page


def test_the_structure_page_links_to_the_rotation(demo, db, client):
    page = _page(client, "zhixing", reverse("org:structure", args=["gdgm"]))
    rotation = reverse("org:rotation", args=["gdgm", take._school_union()])
    assert f'href="{rotation}"' in page


def test_certify_credit_is_in_the_league_committees_activities_menu_only(demo, db, client):
    certify = f'href="{reverse("attendance:ledger_certify", args=["gdgm"])}"'
    catalogue = reverse("activities:catalogue", args=["gdgm"])
    assert certify in _page(client, "tuanwei", catalogue)
    assert certify not in _page(client, "xuesheng", catalogue)


def test_organisers_find_the_check_in_desk_on_the_activity(demo, db, client):
    from tuanxue.activities.models import Activity, ActivityStatus

    activity = Activity.objects.get(school__code="gdgm", title="IT杯篮球赛")
    assert activity.status == ActivityStatus.PUBLISHED
    desk = f'href="{reverse("attendance:desk", args=["gdgm", activity.pk])}"'
    detail = reverse("activities:detail", args=["gdgm", activity.pk])
    assert desk in _page(client, "tuanwei", detail)  # the League committee may change it
    assert desk not in _page(client, "xuesheng", detail)


def test_the_students_page_leads_to_the_credit_export_for_those_who_may_export(demo, db, client):
    export = reverse("attendance:ledger_export", args=["gdgm"])
    students = reverse("org:students", args=["gdgm"])
    for username in ("tuanwei", "xytw", "tuanzhishu"):
        assert f'href="{export}"' in _page(client, username, students), username
        assert client.get(export).status_code == 200, username
    # a college Party branch sees its college's roster but exports no credit
    assert f'href="{export}"' not in _page(client, "xydzz", students)
    assert client.get(export).status_code == 404
