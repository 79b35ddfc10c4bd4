from django.urls import path

from tuanxue.congress import views
from tuanxue.congress.checkin import views as views_checkin

app_name = "congress"

P = "s/<slug:school>/congress/"
S = P + "<int:session_id>/"

urlpatterns = [
    path(P, views.session_list, name="sessions"),
    path(P + "new/", views.session_new, name="session_new"),
    path(S, views.session_detail, name="session"),
    path(S + "milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path(S + "notice/", views.notice, name="notice"),
    path(S + "open/", views.session_open, name="open"),
    path(S + "close/", views.session_close, name="close"),
    path(S + "nominate/", views.nominate, name="nominate"),
    path(S + "delegates/<int:delegate_id>/elect/", views.elect, name="elect"),
    path(S + "review/", views.review, name="review"),
    path(S + "delegates/<int:delegate_id>/review/", views.review_delegate, name="review_delegate"),
    path(S + "delegates/<int:delegate_id>/object/", views.object_to, name="object"),
    path(S + "objections/<int:objection_id>/answer/", views.answer, name="answer"),
    path(S + "cards/", views_checkin.cards, name="cards"),
    path(S + "cards.pdf", views_checkin.cards_pdf, name="cards_pdf"),
    path(S + "card/<str:card_code>/", views_checkin.card, name="card"),
    path(S + "door/", views_checkin.door, name="door"),
    path(S + "projector/", views_checkin.projector, name="projector"),
    path(S + "projector.json", views_checkin.projector_json, name="projector_json"),
]
