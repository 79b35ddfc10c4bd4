from django.urls import path

from tuanxue.activities.attendance import views
from tuanxue.ledger import views as views_ledger

app_name = "attendance"

urlpatterns = [
    path("s/<slug:school>/activities/<int:activity_id>/checkin/", views.desk, name="desk"),
    path(
        "s/<slug:school>/activities/<int:activity_id>/checkin/qr/",
        views.desk_qr,
        name="desk_qr",
    ),
    path(
        "s/<slug:school>/activities/<int:activity_id>/checkin/scan/",
        views.desk_scan,
        name="desk_scan",
    ),
    path(
        "s/<slug:school>/activities/<int:activity_id>/checkin/hand/",
        views.desk_hand,
        name="desk_hand",
    ),
    path(
        "s/<slug:school>/activities/<int:activity_id>/checkin/<int:attendance_id>/out/",
        views.desk_out,
        name="desk_out",
    ),
    path(
        "s/<slug:school>/activities/<int:activity_id>/checkin/<int:attendance_id>/settle/",
        views.desk_settle,
        name="desk_settle",
    ),
    path("s/<slug:school>/my-code/", views.my_code, name="my_code"),
    path("s/<slug:school>/checkin/<str:token>/", views.scan, name="scan"),
    path("s/<slug:school>/ledger/", views_ledger.my_ledger, name="ledger"),
    path(
        "s/<slug:school>/ledger/students/<int:student_id>/",
        views_ledger.student_ledger,
        name="ledger_student",
    ),
    path("s/<slug:school>/ledger/certify/", views_ledger.certify, name="ledger_certify"),
    path(
        "s/<slug:school>/ledger/entries/<int:entry_id>/correct/",
        views_ledger.correct,
        name="ledger_correct",
    ),
    path("s/<slug:school>/ledger/export/", views_ledger.export, name="ledger_export"),
]
