from django.urls import include, path, re_path
from django.views.generic import RedirectView

from tuanxue.core.urls import auth_urlpatterns
from tuanxue.org.people.urls import password_urlpatterns
from tuanxue.org.views import home

urlpatterns = [
    # Django's admin is not used: the people pages manage a school (roles, staff, accounts).
    re_path(r"^admin(?:/.*)?$", RedirectView.as_view(pattern_name="home", permanent=False)),
    *password_urlpatterns,
    path("api/v1/", include("tuanxue.api")),
    *auth_urlpatterns,
    path("", home, name="home"),
    path("", include("tuanxue.core.urls")),
    path("", include("tuanxue.org.urls")),
    path("", include("tuanxue.org.people.urls")),
    path("", include("tuanxue.charter.urls")),
    path("", include("tuanxue.charter.records.urls")),
    path("", include("tuanxue.org.calendar.urls")),
    path("", include("tuanxue.selection.urls")),
    path("", include("tuanxue.selection.urls_exits")),
    path("", include("tuanxue.activities.urls")),
    path("", include("tuanxue.activities.urls_volunteer")),
    path("", include("tuanxue.activities.urls_attendance")),
    path("", include("tuanxue.congress.urls")),
    path("", include("tuanxue.congress.urls_polls")),
    path("", include("tuanxue.congress.urls_minutes")),
    path("", include("tuanxue.review.urls")),
    path("", include("tuanxue.voice.urls")),
    path("", include("tuanxue.federation.urls")),
]
