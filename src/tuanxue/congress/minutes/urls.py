from django.urls import path

from tuanxue.congress.minutes import views

app_name = "minutes"

urlpatterns = [
    path("s/<slug:school>/congress/<int:session_id>/minutes/", views.minutes_page, name="page"),
    path(
        "s/<slug:school>/congress/<int:session_id>/minutes.pdf",
        views.minutes_pdf_view,
        name="pdf",
    ),
    path(
        "s/<slug:school>/congress/<int:session_id>/minutes.docx",
        views.minutes_docx_view,
        name="docx",
    ),
]
