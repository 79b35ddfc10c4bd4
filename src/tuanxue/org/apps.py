from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tuanxue.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from tuanxue.org.people.middleware import remember_on_login

        user_logged_in.connect(remember_on_login, dispatch_uid="tuanxue_password_state")
