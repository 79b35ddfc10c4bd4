from django.urls import path

from tuanxue.org.imports import views as views_imports

urlpatterns = [
    path("", views_imports.imports_index, name="imports"),
    path("<int:job_id>/", views_imports.import_detail, name="import_detail"),
    path("<int:job_id>/confirm/", views_imports.import_confirm, name="import_confirm"),
    path("<int:job_id>/cancel/", views_imports.import_cancel, name="import_cancel"),
]
