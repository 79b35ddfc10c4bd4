from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "tuanxue.oversight"
    label = "oversight"
    verbose_name = _("Party and League oversight")

    def ready(self):
        from tuanxue.charter import assessment, measures
        from tuanxue.demo import org as demo
        from tuanxue.demo import oversight as oversight_demo
        from tuanxue.oversight import checks

        for key, check in checks.CHECKS.items():
            assessment.register_check(key, check)
            measures.register_describer(key, checks.describe)
        demo.register_step("after", oversight_demo.build)
