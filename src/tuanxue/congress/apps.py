from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "tuanxue.congress"
    label = "congress"
    verbose_name = _("Student congress")

    def ready(self):
        from tuanxue.demo import congress as congress_demo
        from tuanxue.demo import org as demo

        demo.register_step("after", congress_demo.build)
