"""A presidium member runs rounds but is not allowed applicants' grades or student numbers."""

from django.urls import reverse

from tuanxue.org.models import Title
from tuanxue.selection import services


def test_round_manager_without_personal_right_sees_no_grades(client, applicant):
    kit = applicant
    application = services.application_submit(
        actor=kit.applicant_user,
        rnd=kit.round,
        seat=kit.staff_seat,
        statement="我希望为同学服务，积累工作经验。",
    )
    chair_user = kit.user("chair")
    kit.post(kit.good_student("主席团成员", user=chair_user), kit.presidium, Title.PRESIDIUM_MEMBER)
    client.force_login(chair_user)
    url = reverse("selection:application", args=[kit.school.code, application.pk])
    body = client.get(url).content.decode()
    assert "申请人" in body or kit.applicant.name in body
    assert kit.applicant.student_no not in body
    assert 'id="eligibility"' not in body
    client.force_login(kit.applicant_user)
    assert 'id="eligibility"' in client.get(url).content.decode()
