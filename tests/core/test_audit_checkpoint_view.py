"""Downloading the signed checkpoints from the audit page: the school League committee only."""

import pytest
from django.urls import reverse

from tuanxue.core.chain import checkpoints
from tuanxue.org.models import Role


def _url(kit):
    return reverse("org:audit_checkpoints", kwargs={"school": kit.school.code})


def test_league_committee_downloads_signed_checkpoints(client, kit):
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    page = client.get(reverse("org:audit", kwargs={"school": kit.school.code}))
    assert _url(kit) in page.content.decode()
    response = client.get(_url(kit))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    found = checkpoints.parse(response.content.decode(), school=kit.school.code)
    assert found and found[-1].seq >= 3  # sealed on the way, then signed
    # The same checkpoint went to the append-only file.
    assert checkpoints.from_file(kit.school.code)[-1] == found[-1]


@pytest.mark.parametrize("role", [Role.STUDENT_AFFAIRS, Role.SCHOOL_PARTY, None])
def test_others_in_the_school_are_refused(client, kit, role):
    client.force_login(kit.user(role=role, student=role is None))
    assert client.get(_url(kit)).status_code == 403
    if role is not None:  # they read the log but get no download link
        page = client.get(reverse("org:audit", kwargs={"school": kit.school.code}))
        assert page.status_code == 200 and _url(kit) not in page.content.decode()


def test_outsiders_get_404(client, kit, other_kit):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(_url(kit)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, kit):
    response = client.get(_url(kit))
    assert response.status_code == 302 and "login" in response["Location"]
