from django.urls import path

from tuanxue.selection import views

app_name = "selection"

urlpatterns = [
    path("s/<slug:school>/rounds/", views.rounds, name="rounds"),
    path("s/<slug:school>/rounds/<int:round_id>/", views.round_detail, name="round"),
    path("s/<slug:school>/unions/<int:union_id>/rounds/new/", views.round_new, name="round_new"),
    path("s/<slug:school>/rounds/<int:round_id>/apply/", views.apply, name="apply"),
    path("s/<slug:school>/applications/mine/", views.my_applications, name="my_applications"),
    path(
        "s/<slug:school>/applications/<int:application_id>/",
        views.application_detail,
        name="application",
    ),
    path("s/<slug:school>/approvals/", views.queue, name="queue"),
]
