from django.urls import path

from . import views

app_name = "trainers"
urlpatterns = [
    path("me/", views.portal, name="portal"),
    path("rate/<int:class_id>/", views.rate_class, name="rate_class"),
]
