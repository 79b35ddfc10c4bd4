"""Take the user guide's screenshots from the demo school.

    make screenshots            # or: .venv/bin/python docs/screenshots/take.py [--only NAME ...]

It builds the demo school into a throwaway SQLite database, serves it with ``tuanxue runserver``
on a free port, logs in as each demo role with Playwright driving Debian's Chromium
(``/usr/bin/chromium``, or ``TUANXUE_CHROMIUM``) and saves one JPEG per entry of ``SHOTS`` in this
directory, on a phone-sized screen (390×844) or, where a teacher works at a desk, a desktop one.
The guides (``docs/guide-zh.md``, ``docs/guide-en.md``) show these files; re-run the script when
pages change. ``tests/core/test_guide_screenshots.py`` checks without a browser that every page
listed here still exists and answers 200 to its role, so a moved page breaks the suite loudly.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHOOL = "gdgm"
CHROMIUM = os.environ.get("TUANXUE_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
QUALITY = 62  # JPEG quality: keeps each file well under 150 KB


# -- where each page is in the demo: looked up by the demo's fixed names, never by raw ids -------


def _school() -> dict:
    return {"school": SCHOOL}


def _congress() -> int:
    from tuanxue.congress.models import CongressSession

    return CongressSession.objects.get(school__code=SCHOOL, number=14).pk


def _election() -> int:
    from tuanxue.congress.models import Poll, PollKind

    return Poll.objects.get(session_id=_congress(), kind=PollKind.ELECTION).pk


def _activity(title: str) -> int:
    from tuanxue.activities.models import Activity

    return Activity.objects.get(school__code=SCHOOL, title=title).pk


def _project(title: str) -> int:
    from tuanxue.activities.models import VolunteerProject

    return VolunteerProject.objects.get(school__code=SCHOOL, title=title).pk


def _school_union() -> int:
    from tuanxue.org.models import Union

    return Union.objects.get(school__code=SCHOOL, college__isnull=True).pk


def _review() -> int:
    from tuanxue.review.models import ReviewSession

    return ReviewSession.objects.get(school__code=SCHOOL, union_id=_school_union()).pk


def _open_round() -> int:
    from tuanxue.selection.models import RecruitmentRound, RoundStatus

    return RecruitmentRound.objects.filter(school__code=SCHOOL, status=RoundStatus.OPEN).get().pk


def _waiting_application(username: str) -> int:
    """The oldest application in the queue of ``username``'s office."""
    from django.contrib.auth import get_user_model

    from tuanxue.core.models import School
    from tuanxue.org.access import build_viewer
    from tuanxue.selection.selectors import waiting_for

    user = get_user_model().objects.get(username=username)
    school = School.objects.get(code=SCHOOL)
    return waiting_for(build_viewer(user, school), school)[0].application.pk


def at(**lookups: Callable[[], int]) -> Callable[[], dict]:
    """URL kwargs: the school plus each named lookup."""

    def kwargs() -> dict:
        return {"school": SCHOOL, **{name: look() for name, look in lookups.items()}}

    return kwargs


@dataclass(frozen=True)
class Shot:
    file: str  # name of the image in docs/screenshots/, without extension
    user: str | None  # demo username, None for a page without login
    url_name: str
    kwargs: Callable[[], dict] | None = _school
    desktop: bool = False
    query: str = ""

    @property
    def filename(self) -> str:
        return f"{self.file}.jpg"

    def path(self) -> str:
        from django.urls import reverse

        kwargs = self.kwargs() if self.kwargs else {}
        return reverse(self.url_name, kwargs=kwargs) + (f"?{self.query}" if self.query else "")


SHOTS: list[Shot] = [
    # everyone
    Shot("login", None, "login", None),
    # 校团委 (the School League committee)
    Shot("tuanwei-home", "tuanwei", "org:school_home", desktop=True),
    Shot("tuanwei-compliance", "tuanwei", "charter:compliance"),
    Shot("tuanwei-assessment", "tuanwei", "charter:assessment", desktop=True),
    Shot("tuanwei-accounts", "tuanwei", "people:accounts", desktop=True),
    Shot("tuanwei-imports", "tuanwei", "org:imports", desktop=True),
    Shot("tuanwei-rounds", "tuanwei", "selection:rounds"),
    Shot("tuanwei-congress", "tuanwei", "congress:session", at(session_id=_congress), True),
    Shot("tuanwei-polls", "tuanwei", "polls:session", at(session_id=_congress)),
    Shot("tuanwei-result", "tuanwei", "polls:result", at(poll_id=_election), True),
    Shot("tuanwei-minutes", "tuanwei", "minutes:page", at(session_id=_congress), True),
    Shot(
        "tuanwei-project-manage",
        "tuanwei",
        "volunteer:manage",
        at(project_id=lambda: _project("IT杯篮球赛记分与场地志愿者")),
    ),
    Shot("tuanwei-filings", "tuanwei", "activities:filings", desktop=True),
    Shot("tuanwei-ledger-certify", "tuanwei", "attendance:ledger_certify", desktop=True),
    Shot("tuanwei-review", "tuanwei", "review:session", at(session_id=_review), True),
    Shot("tuanwei-voice-all", "tuanwei", "voice:officer", desktop=True),
    Shot("tuanwei-guidance", "tuanwei", "records:guidance", desktop=True),
    Shot("tuanwei-audit", "tuanwei", "org:audit", desktop=True),
    # 学工部 (Student Affairs)
    Shot("xuegong-approvals", "xuegong", "selection:queue"),
    Shot(
        "xuegong-application",
        "xuegong",
        "selection:application",
        at(application_id=lambda: _waiting_application("xuegong")),
    ),
    Shot("xuegong-voice-queue", "xuegong", "voice:queue"),
    # 主席团 / 执行主席 (presidium, executive chair)
    Shot("zhixing-rotation", "zhixing", "org:rotation", at(union_id=_school_union)),
    Shot("zhixing-proposal-queue", "zhixing", "activities:proposal_queue"),
    Shot("zhixing-study", "zhixing", "review:study", at(union_id=_school_union)),
    # 部长 / 干事 (department heads, officers)
    Shot("buzhang-my-activities", "buzhang", "activities:manage"),
    Shot("ganshi-my-posts", "ganshi", "exits:my_posts"),
    Shot("ganshi-voice-desk", "ganshi", "voice:desk"),
    # 团支书 (class League branch secretary)
    Shot("tuanzhishu-students", "tuanzhishu", "org:students"),
    Shot("tuanzhishu-congress", "tuanzhishu", "congress:sessions"),
    # 学生代表 (congress delegate)
    Shot("daibiao-polls", "daibiao", "polls:session", at(session_id=_congress)),
    Shot("daibiao-result", "daibiao", "polls:result", at(poll_id=_election)),
    # 学生 (student)
    Shot("xuesheng-home", "xuesheng", "org:school_home"),
    Shot("xuesheng-catalogue", "xuesheng", "activities:catalogue"),
    Shot(
        "xuesheng-project",
        "xuesheng",
        "volunteer:project",
        at(project_id=lambda: _project("IT杯篮球赛记分与场地志愿者")),
    ),
    Shot("xuesheng-ledger", "xuesheng", "attendance:ledger"),
    Shot("xuesheng-apply", "xuesheng", "selection:apply", at(round_id=_open_round)),
    Shot("xuesheng-voice-submit", "xuesheng", "voice:submit"),
    Shot("xuesheng-voice-board", "xuesheng", "voice:board"),
]


# -- building, serving, shooting ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo server did not answer at {url}")


def _cjk_font_dir() -> Path | None:
    """A directory holding a Chinese font for Chromium: ``TUANXUE_SCREENSHOT_FONTS``, or the
    font package the PDFs use when it is installed. None when fontconfig already has one."""
    named = os.environ.get("TUANXUE_SCREENSHOT_FONTS")
    if named:
        return Path(named)
    listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True)
    if listed.returncode == 0 and listed.stdout.strip():
        return None
    import importlib.util

    spec = importlib.util.find_spec("pylopdf_fonts_zh_cn")
    if spec and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    raise SystemExit(
        "No Chinese font for Chromium: apt-get install fonts-noto-cjk, or set "
        "TUANXUE_SCREENSHOT_FONTS to a directory with a CJK .ttf/.otf font."
    )


def _font_env(tmp: str) -> dict:
    """Environment for Chromium: a fontconfig file that adds the Chinese font directory."""
    fonts = _cjk_font_dir()
    if fonts is None:
        return {}
    conf = Path(tmp) / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{fonts}</dir>\n  <cachedir>{tmp}/fontconfig</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/login/" in page.url:
        raise SystemExit(f"could not log in as {username}")


def take(shots: list[Shot], out: Path, base: str, password: str, browser_env: dict) -> list[Path]:
    from playwright.sync_api import sync_playwright

    # Every address is looked up before the browser starts (the ORM may not run in its loop).
    paths = [(shot, shot.path()) for shot in shots]
    saved: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
            env={**os.environ, **browser_env},
        )
        contexts: dict[tuple[str | None, bool], object] = {}
        for shot, path in paths:
            key = (shot.user, shot.desktop)
            if key not in contexts:
                contexts[key] = browser.new_context(
                    viewport=DESKTOP if shot.desktop else PHONE,
                    device_scale_factor=1 if shot.desktop else 2,
                    is_mobile=not shot.desktop,
                    has_touch=not shot.desktop,
                    locale="zh-CN",
                    extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
                )
                if shot.user:
                    _log_in(contexts[key].new_page(), base, shot.user, password)
            page = contexts[key].new_page()
            response = page.goto(base + path)
            if response is None or response.status != 200:
                status = response.status if response else "no answer"
                raise SystemExit(f"{shot.file}: {path} answered {status}")
            page.wait_for_load_state("networkidle")
            target = out / shot.filename
            page.screenshot(path=str(target), type="jpeg", quality=QUALITY)
            page.close()
            saved.append(target)
            print(f"{target.name:32} {target.stat().st_size // 1024:4} KB  {path}", flush=True)
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="file names of the shots to take")
    parser.add_argument("--out", type=Path, default=HERE, help="directory for the images")
    args = parser.parse_args(argv)
    shots = [s for s in SHOTS if not args.only or s.file in args.only]

    with tempfile.TemporaryDirectory(prefix="tuanxue-shots-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "TUANXUE_VAR_DIR": tmp,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "tuanxue.settings",
        }
        browser_env = _font_env(tmp)  # before the build: a missing font stops at once
        os.environ.update(env)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        from tuanxue.demo.org_data import PASSWORD

        port = _free_port()
        tuanxue = Path(sys.executable).with_name("tuanxue")
        server = subprocess.Popen(
            [str(tuanxue), "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(base + "/login/")
            saved = take(shots, args.out, base, PASSWORD, browser_env)
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = sum(p.stat().st_size for p in saved)
    print(f"{len(saved)} screenshots, {total / 1024 / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
