from django.urls import path

from tuanxue.oversight import views

app_name = "oversight"

S = "s/<slug:school>/"

urlpatterns = [
    path(f"{S}oversight/", views.index, name="index"),
    path(f"{S}oversight/<slug:kind>/new/", views.record_new, name="record_new"),
    path(f"{S}oversight/<slug:kind>/<int:record_id>/", views.record_edit, name="record_edit"),
    path(
        f"{S}oversight/<slug:kind>/<int:record_id>/delete/",
        views.record_delete,
        name="record_delete",
    ),
    path(
        f"{S}oversight/hearing/<int:record_id>/minutes/",
        views.hearing_minutes,
        name="hearing_minutes",
    ),
    path(f"{S}filings/", views.filings, name="filings"),
    path(f"{S}filings/new/", views.filing_new, name="filing_new"),
    path(f"{S}filings/<int:filing_id>/", views.filing_detail, name="filing"),
    path(f"{S}filings/<int:filing_id>/refile/", views.filing_refile, name="filing_refile"),
    path(
        f"{S}filings/activity/<int:activity_id>/",
        views.activity_filing,
        name="activity_filing",
    ),
]
