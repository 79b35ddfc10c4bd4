"""Public pages (no login): the board of figures with charts and answered demands, and the
reception-day calendar. Nothing personal: no student, no confidential demand."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from tuanxue.core.models import School
from tuanxue.org.access import viewer_for
from tuanxue.voice import selectors
from tuanxue.voice.access import rights_for
from tuanxue.voice.board.stats import bar_chart, board_stats


def _school(code: str) -> School:
    school = School.objects.filter(code=code).first()
    if school is None:
        raise Http404
    return school


def _rights_or_none(request, school: School):
    if not request.user.is_authenticated:
        return None
    viewer = viewer_for(request)
    return rights_for(viewer, school) if viewer.can_see_school(school) else None


def board(request, school: str):
    school_obj = _school(school)
    stats = board_stats(school_obj)
    charts = [
        bar_chart("category", _("Demands by category"), stats.by_category),
        bar_chart("status", _("Demands by status"), [(s[1], s[2]) for s in stats.by_status]),
        bar_chart("department", _("Demands by department"), stats.by_department),
        bar_chart(
            "month", _("Demands submitted by month"), [(m, n) for m, n, _a in stats.by_month]
        ),
        bar_chart(
            "rating",
            _("Satisfaction ratings"),
            [(_("%(n)d stars") % {"n": stars}, n) for stars, n in stats.ratings],
        ),
    ]
    page = Paginator(selectors.public_demands(school_obj), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "voice/board.html",
        {
            "school": school_obj,
            "s": stats,
            "charts": charts,
            "page": page,
            "rights": _rights_or_none(request, school_obj),
        },
    )


def reception(request, school: str):
    school_obj = _school(school)
    upcoming, past = selectors.reception_days(school_obj)
    return render(
        request,
        "voice/reception.html",
        {
            "school": school_obj,
            "upcoming": upcoming,
            "past": past,
            "rights": _rights_or_none(request, school_obj),
        },
    )
