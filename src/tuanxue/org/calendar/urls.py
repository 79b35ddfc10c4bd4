from django.urls import path

from tuanxue.org.calendar import views

app_name = "calendar"

urlpatterns = [
    path("s/<slug:school>/calendar/", views.index, name="index"),
    path("s/<slug:school>/calendar/years/new/", views.year_new, name="year_new"),
    path("s/<slug:school>/calendar/years/<int:year_id>/", views.year_edit, name="year_edit"),
    path(
        "s/<slug:school>/calendar/years/<int:year_id>/remove/",
        views.year_delete,
        name="year_delete",
    ),
    path(
        "s/<slug:school>/calendar/semesters/<int:semester_id>/remove/",
        views.semester_delete,
        name="semester_delete",
    ),
    path(
        "s/<slug:school>/calendar/years/<int:year_id>/semesters/new/",
        views.semester_new,
        name="semester_new",
    ),
    path(
        "s/<slug:school>/calendar/semesters/<int:semester_id>/",
        views.semester_edit,
        name="semester_edit",
    ),
]
