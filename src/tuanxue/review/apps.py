from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "tuanxue.review"
    label = "review"
    verbose_name = _("Duty review, discipline and study")

    def ready(self):
        from tuanxue.charter import compliance
        from tuanxue.review import checks
        from tuanxue.selection import eligibility

        eligibility.register_check(checks.sanction_verdict)
        compliance.register_rows(checks.first_item_rows)
