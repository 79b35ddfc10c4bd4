"""A sign-up that found the role full, then sees a place freed under the shared lock, starts
again and takes the place with the role's row held exclusively (no lock upgrade, so no
deadlock between sign-ups sharing the row)."""

from tests.builders.activities import VolunteerKit, role_of
from tuanxue.activities.models import SignupStatus, VolunteerRole
from tuanxue.activities.volunteer import hotsql
from tuanxue.activities.volunteer import signup as svc


def test_a_place_freed_meanwhile_is_taken_on_the_second_try(kit, monkeypatch):
    vk = VolunteerKit(kit)
    project = vk.project(roles=[vk.role_spec("引导员", 1)])
    role = role_of(project)
    real = hotsql.take_place
    calls = []

    def full_at_first(role_id):
        calls.append(role_id)
        if len(calls) == 1:
            return False  # as if the last place was taken and freed between two statements
        return real(role_id)

    monkeypatch.setattr(hotsql, "take_place", full_at_first)
    row, position = svc.signup(actor=vk.student_user(), project=project, role=role)
    assert (row.status, position) == (SignupStatus.CONFIRMED, None)
    assert len(calls) == 2
    assert VolunteerRole.objects.get(pk=role.pk).taken == 1
