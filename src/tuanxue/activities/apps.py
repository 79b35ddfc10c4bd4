from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "tuanxue.activities"
    label = "activities"
    verbose_name = _("Activities and volunteers")

    def ready(self):
        from tuanxue.activities.demo_volunteer import build_demo_step
        from tuanxue.org import demo

        demo.register_step("after", build_demo_step)
