from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:serial>.json", views.verify_json, name="verify_json"),
    path("verify/<str:serial>/", views.verify, name="verify"),
    path("portal/certificates/", views.my_certificates, name="mine"),
    path(
        "portal/certificates/<int:pk>/download/",
        views.my_certificate_download,
        name="download",
    ),
]
