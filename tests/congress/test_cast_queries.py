"""Casting a ballot costs a small, fixed number of queries, however many delegates and ballots
the poll has."""

from __future__ import annotations

from django.urls import reverse

from tests.builders.congress import Hall
from tuanxue.congress.polls import ballots

# delegate lookup, candidates (election), already voted?, savepoint, poll update, mark, ballot,
# release
SERVICE_QUERIES = 8
# plus the session, the user, the viewer's grants and posts, the poll and the page's own reads
VIEW_QUERIES = 19


def test_casting_a_ballot_has_a_bounded_query_count(kit, django_assert_max_num_queries):
    hall = Hall(kit, 30)
    poll = hall.election(["王甲", "李乙", "张丙", "赵丁"], 2)
    ids = list(poll.candidates.values_list("pk", flat=True))
    for i in range(20):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=ids[: 1 + i % 2])
    with django_assert_max_num_queries(SERVICE_QUERIES):
        ballots.ballot_cast(actor=hall.user(20), poll=poll, choice=ids[:2])


def test_casting_through_the_page_has_a_bounded_query_count(
    client, kit, django_assert_max_num_queries
):
    hall = Hall(kit, 30)
    poll = hall.motion_poll()
    for i in range(20):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice="yes")
    client.force_login(hall.user(25))
    url = reverse("polls:ballot", args=[kit.school.code, poll.pk])
    with django_assert_max_num_queries(VIEW_QUERIES):
        response = client.post(url, {"choice": "no"})
    assert response.status_code == 200 and response.context["receipt"]
