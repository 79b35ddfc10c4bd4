from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tuanxue.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from tuanxue.core.security.cas import register_campus_lookup
        from tuanxue.core.tenancy import register_school_of
        from tuanxue.org.access import build_viewer, user_for_campus_id
        from tuanxue.org.people.middleware import remember_on_login

        register_school_of(lambda user: build_viewer(user).school)
        register_campus_lookup(user_for_campus_id)
        user_logged_in.connect(remember_on_login, dispatch_uid="tuanxue_password_state")
        # Background job kinds register themselves when imported.
        from tuanxue.org.imports import tasks  # noqa: F401
