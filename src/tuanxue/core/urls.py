from django.contrib.auth import views as auth_views
from django.urls import include, path

from tuanxue.core import views
from tuanxue.core.security import cas

app_name = "core"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/<int:notification_id>/",
        views.notification_open,
        name="notification_open",
    ),
]

# Names used by Django's auth machinery live outside the namespace.
auth_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cas/login/", cas.CampusLoginView.as_view(), name="cas_login"),
    path("cas/logout/", cas.CampusLogoutView.as_view(), name="cas_logout"),
    path("i18n/", include("django.conf.urls.i18n")),
]
