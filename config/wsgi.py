import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.startup import freeze_loaded_objects, require_collected_static  # noqa: E402 - needs settings loaded

require_collected_static()
freeze_loaded_objects(gc)
