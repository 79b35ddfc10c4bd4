from django.urls import path

from tuanxue.congress.polls import views as v
from tuanxue.congress.polls import views_motions as m

app_name = "polls"

S = "s/<slug:school>/congress/<int:session_id>/"
P = "s/<slug:school>/congress/polls/<int:poll_id>/"

urlpatterns = [
    path(f"{S}polls/", m.session_polls, name="session"),
    path(f"{S}polls/election/", m.election_new, name="election_new"),
    path(f"{S}motions/new/", m.motion_new, name="motion_new"),
    path("s/<slug:school>/congress/motions/<int:motion_id>/", m.motion_detail, name="motion"),
    path(P, v.ballot, name="ballot"),
    path(f"{P}receipt/", v.receipt, name="receipt"),
    path(f"{P}control/", v.control, name="control"),
    path(f"{P}observe/", v.observe, name="observe"),
    path(f"{P}turnout.json", v.turnout_json, name="turnout"),
    path(f"{P}result/", v.result, name="result"),
    path(f"{P}result.pdf", v.result_pdf, name="result_pdf"),
    path(f"{P}audit.zip", v.audit_pack, name="audit_pack"),
    path(f"{P}paper.pdf", v.paper_pdf, name="paper_pdf"),
    path(f"{P}tally/", v.tally, name="tally"),
    path(f"{P}sign/", v.sign, name="sign"),
]
