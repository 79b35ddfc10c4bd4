import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuanxue.settings")
application = get_wsgi_application()

# The server refuses to start without the audit log's key, and seals events in the background.
from tuanxue.core.sealer import start_server_sealer  # noqa: E402

start_server_sealer()
