import os

from django.core.wsgi import get_wsgi_application

from kpo.settings import prepare_data_dir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
application = get_wsgi_application()
prepare_data_dir()
