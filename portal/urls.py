from django.urls import path

from lms.people import views as people_views

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", people_views.home, name="file"),
]
