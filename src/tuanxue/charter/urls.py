from django.urls import path

from tuanxue.charter import views
from tuanxue.charter.versions import views as views_versions

app_name = "charter"

urlpatterns = [
    path("s/<slug:school>/compliance/", views.compliance, name="compliance"),
    path("s/<slug:school>/charter/", views_versions.versions, name="versions"),
    path("s/<slug:school>/charter/adopt/", views_versions.adopt, name="adopt"),
    path("s/<slug:school>/assessment/", views.assessment, name="assessment"),
    path("s/<slug:school>/assessment/report.docx", views.assessment_docx, name="assessment_docx"),
    path("s/<slug:school>/assessment/report.pdf", views.assessment_pdf, name="assessment_pdf"),
    path("s/<slug:school>/assessment/table.xlsx", views.assessment_xlsx, name="assessment_xlsx"),
    path(
        "s/<slug:school>/assessment/<int:year>/edit/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path("s/<slug:school>/self-assessment/<int:year>/", views.public_table, name="public_table"),
]
