from django.urls import include, path, re_path
from django.views.generic import RedirectView

from tuanxue.core.urls import auth_urlpatterns
from tuanxue.org.people.urls import password_urlpatterns
from tuanxue.org.views import home
from tuanxue.transcript.urls import public_urlpatterns as transcript_public

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
    path("", include("tuanxue.selection.exits.urls")),
    path("", include("tuanxue.activities.urls")),
    path("", include("tuanxue.activities.volunteer.urls")),
    path("", include("tuanxue.activities.attendance.urls")),
    path("", include("tuanxue.congress.urls")),
    path("", include("tuanxue.congress.polls.urls")),
    path("", include("tuanxue.congress.minutes.urls")),
    path("", include("tuanxue.review.urls")),
    path("", include("tuanxue.voice.urls")),
    path("", include("tuanxue.linkage.urls")),
    path("", include("tuanxue.transcript.urls")),
    *transcript_public,
    path("", include("tuanxue.oversight.urls")),
    path("", include("tuanxue.federation.urls")),
]
