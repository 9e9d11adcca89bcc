import os

from django.core.wsgi import get_wsgi_application

from mentoring.runtime import load_what_requests_share, tune_garbage_collection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

application = get_wsgi_application()
load_what_requests_share()  # not left to each process's first request
tune_garbage_collection()  # after loading: what the app loaded is frozen
