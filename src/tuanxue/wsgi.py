import os

from django.core.wsgi import get_wsgi_application

from tuanxue.startup import require_production_settings, start_background_work

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuanxue.settings")
application = get_wsgi_application()
# Refuse to serve without the production secrets, then seal audit events in the background.
require_production_settings()
start_background_work()
