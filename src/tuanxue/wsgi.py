import os

from django.core.wsgi import get_wsgi_application

from tuanxue.startup import require_production_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuanxue.settings")
application = get_wsgi_application()
require_production_settings()
