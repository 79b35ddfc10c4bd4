from django.urls import path

from tuanxue.activities.volunteer import views

app_name = "volunteer"

urlpatterns = [
    path("s/<slug:school>/volunteer/", views.projects, name="projects"),
    path("s/<slug:school>/volunteer/mine/", views.my_signups, name="mine"),
    path("s/<slug:school>/volunteer/<int:project_id>/", views.project_detail, name="project"),
    path(
        "s/<slug:school>/volunteer/<int:project_id>/roles/<int:role_id>/signup/",
        views.signup_create,
        name="signup",
    ),
    path(
        "s/<slug:school>/volunteer/<int:project_id>/manage/",
        views.project_manage,
        name="manage",
    ),
    path("s/<slug:school>/volunteer/<int:project_id>/draw/", views.lottery_draw, name="draw"),
    path("s/<slug:school>/volunteer/<int:project_id>/close/", views.project_close, name="close"),
    path("s/<slug:school>/volunteer/new/<int:activity_id>/", views.project_new, name="new"),
    path(
        "s/<slug:school>/volunteer/signups/<int:signup_id>/withdraw/",
        views.signup_withdraw,
        name="withdraw",
    ),
    path(
        "s/<slug:school>/volunteer/signups/<int:signup_id>/review/",
        views.signup_review,
        name="review",
    ),
]
