from django.contrib import admin
from django.urls import include, path

from tuanxue.core.urls import auth_urlpatterns
from tuanxue.org.views import home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("tuanxue.api")),
    *auth_urlpatterns,
    path("", home, name="home"),
    path("", include("tuanxue.core.urls")),
    path("", include("tuanxue.org.urls")),
    path("", include("tuanxue.charter.urls")),
    path("", include("tuanxue.selection.urls")),
    path("", include("tuanxue.selection.urls_exits")),
    path("", include("tuanxue.activities.urls")),
    path("", include("tuanxue.activities.urls_volunteer")),
    path("", include("tuanxue.activities.urls_attendance")),
    path("", include("tuanxue.congress.urls")),
    path("", include("tuanxue.congress.urls_polls")),
    path("", include("tuanxue.congress.urls_minutes")),
    path("", include("tuanxue.voice.urls")),
]
