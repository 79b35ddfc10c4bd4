from django.contrib.auth import views as auth_views
from django.urls import include, path

from tuanxue.core import views, views_checkpoints

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
    path(
        "s/<slug:school>/audit/checkpoints.jsonl",
        views_checkpoints.checkpoints_download,
        name="audit_checkpoints",
    ),
]

# Names used by Django's auth machinery live outside the namespace.
auth_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
]
