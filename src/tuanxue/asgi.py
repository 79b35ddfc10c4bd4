import os

from django.core.asgi import get_asgi_application

from tuanxue.startup import require_production_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuanxue.settings")
application = get_asgi_application()
require_production_settings()
