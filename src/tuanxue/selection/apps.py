from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "tuanxue.selection"
    label = "selection"
    verbose_name = _("Cadre selection")

    def ready(self):
        from tuanxue.demo import org as demo
        from tuanxue.demo import selection as selection_demo

        demo.register_step("after", selection_demo.build)
