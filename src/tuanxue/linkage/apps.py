from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "tuanxue.linkage"
    label = "linkage"
    verbose_name = _("School, college and class linkage")

    def ready(self):
        from tuanxue.charter import assessment, compliance
        from tuanxue.demo import linkage as demo
        from tuanxue.demo import org as org_demo
        from tuanxue.linkage import rules

        compliance.register_rows(rules.class_rows)
        assessment.register_context(rules.prefetch_class_rows)
        org_demo.register_step("after", demo.build)
