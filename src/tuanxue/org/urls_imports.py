from django.urls import path

from tuanxue.org import views_imports

urlpatterns = [
    path("", views_imports.imports_index, name="imports"),
]
