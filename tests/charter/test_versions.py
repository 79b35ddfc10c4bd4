"""Charter versions page and adopting a new version through it."""

import pytest
from django.urls import reverse

from tests.builders.charter import adopt_data
from tuanxue.charter.models import Charter
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role


def test_everyone_of_the_school_sees_the_versions(client, chartered):
    client.force_login(chartered.user(student=True))
    response = client.get(reverse("charter:versions", args=[chartered.school.code]))
    assert response.status_code == 200
    assert "2020年修改版" in response.content.decode()


def test_outsiders_get_404(client, chartered, other_kit):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(reverse("charter:versions", args=[chartered.school.code])).status_code == 404
    assert client.get(reverse("charter:adopt", args=[chartered.school.code])).status_code == 404


@pytest.mark.parametrize("role", [Role.STUDENT_AFFAIRS, Role.SCHOOL_PARTY, None])
def test_only_the_league_committee_adopts(client, chartered, role):
    user = chartered.user(role=role) if role else chartered.user(student=True)
    client.force_login(user)
    url = reverse("charter:adopt", args=[chartered.school.code])
    assert client.get(url).status_code == 403
    assert client.post(url, adopt_data()).status_code == 403
    assert Charter.objects.filter(school=chartered.school).count() == 1


def test_league_committee_adopts_a_version_and_it_is_audited(client, chartered):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    url = reverse("charter:adopt", args=[chartered.school.code])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, adopt_data(school__staff_max="40"))
    assert response.status_code == 302, response.context["form"].errors
    charter = Charter.objects.get(school=chartered.school, version_label="2022年修改版")
    assert charter.parsed.school.staff_max == 40
    assert charter.parsed.academic_period == "last_year"
    event = AuditEvent.objects.filter(action="charter.version.adopted").order_by("-id").first()
    assert event.target_id == str(charter.pk)


def test_a_contradictory_version_is_refused_with_the_field_named(client, chartered):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    url = reverse("charter:adopt", args=[chartered.school.code])
    response = client.post(url, adopt_data(college__heads_min="4", college__heads_max="3"))
    assert response.status_code == 200
    assert "heads_min" in str(response.context["form"].errors)
    assert Charter.objects.filter(school=chartered.school).count() == 1


def test_a_duplicate_label_is_refused(client, chartered):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    url = reverse("charter:adopt", args=[chartered.school.code])
    response = client.post(url, adopt_data(version_label="2020年修改版"))
    assert response.status_code == 200
    assert Charter.objects.filter(school=chartered.school).count() == 1


def test_shares_are_entered_as_percentages(client, chartered):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    url = reverse("charter:adopt", args=[chartered.school.code])
    form = client.get(url).content.decode()
    assert 'name="delegate_ratio" value="1"' in form
    assert 'name="academic_top_share" value="30"' in form
    response = client.post(url, adopt_data(delegate_ratio="1.5", academic_top_share="25"))
    assert response.status_code == 302
    rules = Charter.objects.get(school=chartered.school, version_label="2022年修改版").parsed
    assert rules.delegate_ratio == "0.015" and rules.academic_top_share == "0.25"
    assert rules.ratio_percent == "1.5%"
    # A share written as a fraction is out of range, and says so on its field.
    response = client.post(url, adopt_data(version_label="另一版", delegate_ratio="0.01"))
    assert response.status_code == 200
    assert "delegate_ratio" in response.context["form"].errors
