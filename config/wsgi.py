import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every view (the URLconf) and load the translation catalogues now: under
    gunicorn's preload_app this happens once in the master, so a fresh or recycled
    worker's first request does not pay ~0.5 s for them."""
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Sign in")
    connections.close_all()  # nothing opened here may be shared with the workers


_warm_up()
