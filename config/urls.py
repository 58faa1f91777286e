from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.accounts import views as account_views

urlpatterns = [
    path("", account_views.landing, name="landing"),
    path("healthz", account_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("lms.accounts.urls")),
    path("portal/", include("portal.urls")),
    path("compliance/", include("lms.compliance.urls")),
    path("jobs/", include("lms.jobs.urls")),
    path("training/", include("lms.training.urls")),
    path("learn/", include("courses.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("", include("api.urls")),
    path("", include("certificates.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only the public media (Wagtail images); private files have their own views.
    for prefix in settings.PUBLIC_MEDIA_PREFIXES:
        urlpatterns += static(
            settings.MEDIA_URL + prefix, document_root=f"{settings.MEDIA_ROOT}/{prefix}"
        )

# Wagtail's page serving (the course library) comes last.
urlpatterns += [path("", include(wagtail_urls))]
