"""Builders the voice tests share: one place, so no test module imports another."""

from __future__ import annotations

from tuanxue.voice import services
from tuanxue.voice.models import (
    Closure,
)

TEXT = "图书馆晚上十点就闭馆，考试周希望延长开放时间到十一点。"


def submit(w, user=None, **extra):
    fields = {
        "actor": user or w.student_user,
        "school": w.school,
        "category": extra.pop("category", w.academic),
        "title": extra.pop("title", "考试周延长图书馆开放时间"),
        "text": extra.pop("text", TEXT),
    }
    fields.update(extra)
    return services.demand_submit(**fields)


def answer(w, demand, closure=Closure.RESOLVED, reason=""):
    return services.demand_answer(
        actor=w.jiaowu_user,
        demand=demand,
        answer="考试周开放时间延长至23:00。",
        closure=closure,
        reason=reason,
    )


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client
