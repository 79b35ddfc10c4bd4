from django.urls import path

from tuanxue.linkage import views, views_classes

app_name = "linkage"

N = "s/<slug:school>/notices/<int:notice_id>/"
C = N + "colleges/<int:college_id>/"
K = N + "classes/<int:class_id>/"

urlpatterns = [
    path("s/<slug:school>/notices/", views.notices, name="notices"),
    path("s/<slug:school>/notices/new/", views.notice_new, name="notice_new"),
    path(N, views.notice_detail, name="notice"),
    path(N + "remind/", views.notice_remind, name="remind"),
    path(C + "read/", views.college_read, name="college_read"),
    path(C + "forward/", views.college_forward, name="college_forward"),
    path(C + "done/", views.college_done, name="college_done"),
    path(C + "remind/", views.college_remind, name="college_remind"),
    path(C + "file/", views.college_file, name="college_file"),
    path(K + "read/", views.class_read, name="class_read"),
    path(K + "done/", views.class_done, name="class_done"),
    path(K + "file/", views.class_file, name="class_file"),
    path("s/<slug:school>/classes/<int:class_id>/", views_classes.class_page, name="class"),
    path(
        "s/<slug:school>/classes/<int:class_id>/roles/",
        views_classes.class_roles_edit,
        name="class_roles",
    ),
    path(
        "s/<slug:school>/classes/<int:class_id>/meetings/new/",
        views_classes.meeting_new,
        name="meeting_new",
    ),
]
