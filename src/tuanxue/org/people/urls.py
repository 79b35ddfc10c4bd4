from django.urls import path

from tuanxue.org.people import views, views_password

app_name = "people"

urlpatterns = [
    path("s/<slug:school>/people/staff/", views.staff_list, name="staff"),
    path("s/<slug:school>/people/staff/new/", views.staff_new, name="staff_new"),
    path("s/<slug:school>/people/staff/<int:staff_id>/", views.staff_edit, name="staff_edit"),
    path("s/<slug:school>/people/roles/", views.roles, name="roles"),
    path(
        "s/<slug:school>/people/roles/<int:grant_id>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
    path("s/<slug:school>/people/accounts/", views.accounts_page, name="accounts"),
    path("s/<slug:school>/people/accounts/create/", views.accounts_create, name="accounts_create"),
    path("s/<slug:school>/people/accounts/reset/", views.account_reset, name="account_reset"),
    path("s/<slug:school>/people/accounts/link/", views.account_link, name="account_link"),
]

# Names Django's auth machinery knows, outside the namespace.
password_urlpatterns = [
    path("account/password/", views_password.password_change, name="password_change"),
    path(
        "account/password/reset/",
        views_password.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "account/password/reset/sent/",
        views_password.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        views_password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
