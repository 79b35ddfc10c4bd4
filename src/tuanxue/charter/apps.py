from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "tuanxue.charter"
    label = "charter"
    verbose_name = _("Charter and compliance")

    def ready(self):
        from tuanxue.charter.enforcement import CharterPolicy
        from tuanxue.charter.records.views_setup import home_panel
        from tuanxue.demo import charter as charter_demo
        from tuanxue.demo import org as demo
        from tuanxue.org import home_panels, policy

        policy.register(CharterPolicy())
        home_panels.register(home_panel)
        demo.register_step("before_posts", charter_demo.adopt_charter)
        demo.register_step("after", charter_demo.record_the_rest)
