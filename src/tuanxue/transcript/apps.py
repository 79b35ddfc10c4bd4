from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranscriptConfig(AppConfig):
    name = "tuanxue.transcript"
    label = "transcript"
    verbose_name = _("Second-classroom transcript")

    def ready(self):
        from tuanxue.demo import org as demo
        from tuanxue.demo.transcript import build_demo_step
        from tuanxue.transcript import batch  # noqa: F401  (registers its job kind)

        demo.register_step("after", build_demo_step)
