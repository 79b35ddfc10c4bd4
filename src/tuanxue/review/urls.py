from django.urls import path

from tuanxue.review import views
from tuanxue.review.union import views as views_union

app_name = "review"

urlpatterns = [
    path("s/<slug:school>/reviews/", views.session_list, name="sessions"),
    path("s/<slug:school>/reviews/new/", views.session_new, name="session_new"),
    path("s/<slug:school>/reviews/<int:session_id>/", views.session_detail, name="session"),
    path("s/<slug:school>/reviews/<int:session_id>/panel/", views.panel_edit, name="panel"),
    path("s/<slug:school>/reviews/<int:session_id>/open/", views.session_open, name="open"),
    path("s/<slug:school>/reviews/<int:session_id>/close/", views.session_close, name="close"),
    path(
        "s/<slug:school>/reviews/<int:session_id>/publish/", views.session_publish, name="publish"
    ),
    path(
        "s/<slug:school>/reviews/<int:session_id>/reviewees/add/",
        views.reviewee_add,
        name="reviewee_add",
    ),
    path(
        "s/<slug:school>/reviews/<int:session_id>/reviewees/<int:reviewee_id>/remove/",
        views.reviewee_remove,
        name="reviewee_remove",
    ),
    path("s/<slug:school>/reviews/<int:session_id>/score/", views.score_list, name="score"),
    path(
        "s/<slug:school>/reviews/<int:session_id>/score/<int:reviewee_id>/",
        views.score_sheet,
        name="score_sheet",
    ),
    path("s/<slug:school>/reviews/<int:session_id>/sheets/", views.sheets, name="sheets"),
    path("s/<slug:school>/reviews/<int:session_id>/results.xlsx", views.export, name="export"),
    path("s/<slug:school>/my-review/", views.mine, name="mine"),
    path("s/<slug:school>/my-review/<int:reviewee_id>/report/", views.report, name="report"),
    path("s/<slug:school>/removal-proposals/", views.proposals, name="proposals"),
    path(
        "s/<slug:school>/removal-proposals/<int:proposal_id>/decide/",
        views.proposal_decide,
        name="proposal_decide",
    ),
    path(
        "s/<slug:school>/unions/<int:union_id>/discipline/",
        views_union.discipline,
        name="discipline",
    ),
    path(
        "s/<slug:school>/unions/<int:union_id>/discipline/<int:record_id>/appeal/",
        views_union.discipline_appeal,
        name="discipline_appeal",
    ),
    path("s/<slug:school>/unions/<int:union_id>/study/", views_union.study, name="study"),
    path(
        "s/<slug:school>/unions/<int:union_id>/study/<int:study_id>/",
        views_union.study_detail,
        name="study_detail",
    ),
    path(
        "s/<slug:school>/unions/<int:union_id>/meetings/new/",
        views_union.meeting_new,
        name="meeting_new",
    ),
]
