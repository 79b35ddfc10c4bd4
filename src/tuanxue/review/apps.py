from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "tuanxue.review"
    label = "review"
    verbose_name = _("Duty review, discipline and study")

    def ready(self):
        from tuanxue.charter import assessment, compliance
        from tuanxue.demo import org as demo
        from tuanxue.demo import review as review_demo
        from tuanxue.review import checks
        from tuanxue.selection import eligibility

        eligibility.register_check(checks.sanction_reasons)
        compliance.register_rows(checks.first_item_rows)
        assessment.register_check("duty_review", checks.check_duty_review)
        assessment.register_figures(checks.review_figures)
        assessment.register_context(checks.prefetch_first_items)
        demo.register_step("after", review_demo.build)
