from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "tuanxue.selection"
    label = "selection"
    verbose_name = _("Cadre selection")

    def ready(self):
        from tuanxue.org import demo
        from tuanxue.selection import demo as selection_demo

        demo.register_step("after", selection_demo.build)
