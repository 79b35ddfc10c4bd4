from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "tuanxue.charter"
    label = "charter"
    verbose_name = _("Charter and compliance")

    def ready(self):
        from tuanxue.charter.enforcement import CharterPolicy
        from tuanxue.org import policy

        policy.register(CharterPolicy())
