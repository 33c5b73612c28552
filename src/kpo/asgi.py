import os

from django.core.asgi import get_asgi_application

from kpo.settings import prepare_data_dir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
application = get_asgi_application()
prepare_data_dir()
