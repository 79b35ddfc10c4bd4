from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "tuanxue.congress"
    label = "congress"
    verbose_name = _("Student congress")

    def ready(self):
        from tuanxue.congress import demo as congress_demo
        from tuanxue.org import demo

        demo.register_step("after", congress_demo.build)
