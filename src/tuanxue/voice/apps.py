from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "tuanxue.voice"
    label = "voice"
    verbose_name = _("Student voice")

    def ready(self):
        from tuanxue.demo import org as demo
        from tuanxue.demo.voice import build_demo_step

        demo.register_step("after", build_demo_step)
