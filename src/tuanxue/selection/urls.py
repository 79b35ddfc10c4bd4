from django.urls import path

from tuanxue.selection import views
from tuanxue.selection.rounds import views as views_rounds

app_name = "selection"

urlpatterns = [
    path("s/<slug:school>/rounds/", views_rounds.rounds, name="rounds"),
    path("s/<slug:school>/rounds/<int:round_id>/", views_rounds.round_detail, name="round"),
    path(
        "s/<slug:school>/unions/<int:union_id>/rounds/new/",
        views_rounds.round_new,
        name="round_new",
    ),
    path(
        "s/<slug:school>/rounds/<int:round_id>/extend/",
        views_rounds.round_extend,
        name="round_extend",
    ),
    path(
        "s/<slug:school>/rounds/<int:round_id>/close/",
        views_rounds.round_close,
        name="round_close",
    ),
    path(
        "s/<slug:school>/rounds/<int:round_id>/cancel/",
        views_rounds.round_cancel,
        name="round_cancel",
    ),
    path("s/<slug:school>/rounds/<int:round_id>/apply/", views.apply, name="apply"),
    path("s/<slug:school>/applications/mine/", views.my_applications, name="my_applications"),
    path(
        "s/<slug:school>/applications/<int:application_id>/",
        views.application_detail,
        name="application",
    ),
    path(
        "s/<slug:school>/applications/<int:application_id>/decide/",
        views.application_decide,
        name="application_decide",
    ),
    path(
        "s/<slug:school>/applications/<int:application_id>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "s/<slug:school>/applications/<int:application_id>/resubmit/",
        views.application_resubmit,
        name="application_resubmit",
    ),
    path(
        "s/<slug:school>/applications/<int:application_id>/retry/",
        views.application_retry,
        name="application_retry",
    ),
    path(
        "s/<slug:school>/applications/<int:application_id>/election/",
        views.application_election,
        name="application_election",
    ),
    path("s/<slug:school>/approvals/", views.queue, name="queue"),
]
