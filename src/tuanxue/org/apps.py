from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tuanxue.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        # Background job kinds register themselves when imported.
        from tuanxue.org.imports import tasks  # noqa: F401
