from django.urls import path

from tuanxue.federation import views

app_name = "federation"

urlpatterns = [
    path("federation/", views.province, name="province"),
    path("federation/schools.xlsx", views.province_xlsx, name="province_xlsx"),
    path("federation/check/", views.province_check, name="province_check"),
    path("s/<slug:school>/submissions/", views.submissions, name="submissions"),
    path(
        "s/<slug:school>/submissions/<int:submission_id>/",
        views.submission_detail,
        name="submission",
    ),
    path(
        "s/<slug:school>/submissions/<int:submission_id>/review/",
        views.submission_review,
        name="submission_review",
    ),
    path(
        "s/<slug:school>/submissions/<int:submission_id>/report.<str:kind>",
        views.submission_file,
        name="submission_file",
    ),
]
