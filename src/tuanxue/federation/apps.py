from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "tuanxue.federation"
    label = "federation"
    verbose_name = _("Provincial student federation")

    def ready(self):
        from tuanxue.federation import jobs  # noqa: F401  (registers the job kind)
        from tuanxue.federation.panels import home_panel
        from tuanxue.org import home_panels

        home_panels.register(home_panel)
