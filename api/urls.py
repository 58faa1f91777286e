from django.urls import include, path, re_path

from . import views
from .errors import json_not_found
from .v1 import api

security_patterns = [
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
]

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", json_not_found),
    path("security/", include((security_patterns, "api_security"))),
]
