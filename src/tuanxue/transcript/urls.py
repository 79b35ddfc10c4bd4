from django.urls import path

from tuanxue.transcript import views

app_name = "transcript"

urlpatterns = [
    path("s/<slug:school>/transcript/", views.home, name="home"),
    path("s/<slug:school>/transcript/students/", views.staff, name="staff"),
    path("s/<slug:school>/transcript/students/<int:student_id>/", views.student, name="student"),
    path("s/<slug:school>/transcript/students/<int:student_id>/issue/", views.issue, name="issue"),
    path("s/<slug:school>/transcript/issued/<int:issued_id>/pdf/", views.pdf, name="pdf"),
    path("s/<slug:school>/transcript/issued/<int:issued_id>/revoke/", views.revoke, name="revoke"),
    path("s/<slug:school>/transcript/settings/", views.settings_page, name="settings"),
    path("s/<slug:school>/transcript/batches/", views.batch_start, name="batch_start"),
    path(
        "s/<slug:school>/transcript/batches/<int:batch_id>/",
        views.batch_detail,
        name="batch_detail",
    ),
    path(
        "s/<slug:school>/transcript/batches/<int:batch_id>/download/",
        views.batch_download,
        name="batch_download",
    ),
]

# The public verification page lives at the site's root: /verify/<code>/ (no login).
public_urlpatterns = [path("verify/<str:verification>/", views.verify, name="verify")]
