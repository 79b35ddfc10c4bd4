from django.urls import path

from tuanxue.charter.records import views, views_setup

app_name = "records"

urlpatterns = [
    path("s/<slug:school>/setup/", views_setup.checklist, name="setup"),
    path("s/<slug:school>/records/guidance/", views.guidance, name="guidance"),
    path(
        "s/<slug:school>/records/guidance/<int:union_id>/",
        views.guidance_edit,
        name="guidance_edit",
    ),
    path(
        "s/<slug:school>/records/guidance/<int:union_id>/remove/",
        views.guidance_clear,
        name="guidance_clear",
    ),
    path("s/<slug:school>/records/documents/", views.documents, name="documents"),
    path("s/<slug:school>/records/documents/new/", views.document_new, name="document_new"),
    path(
        "s/<slug:school>/records/documents/<int:attestation_id>/",
        views.document_edit,
        name="document_edit",
    ),
    path(
        "s/<slug:school>/records/documents/<int:attestation_id>/file/",
        views.document_file,
        name="document_file",
    ),
    path(
        "s/<slug:school>/records/documents/<int:attestation_id>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path("s/<slug:school>/records/congresses/", views.congresses, name="congresses"),
    path("s/<slug:school>/records/congresses/new/", views.congress_new, name="congress_new"),
    path(
        "s/<slug:school>/records/congresses/<int:record_id>/",
        views.congress_edit,
        name="congress_edit",
    ),
    path(
        "s/<slug:school>/records/congresses/<int:record_id>/delete/",
        views.congress_delete,
        name="congress_delete",
    ),
]
