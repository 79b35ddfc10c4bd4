from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "tuanxue.activities"
    label = "activities"
    verbose_name = _("Activities and volunteers")

    def ready(self):
        from tuanxue.demo import org as demo
        from tuanxue.demo.volunteer import build_demo_step

        demo.register_step("after", build_demo_step)
