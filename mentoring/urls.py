from django.urls import path

from . import views

app_name = "mentoring"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("placements/<int:pk>/", views.placement_detail, name="placement"),
    path("directory/", views.directory, name="directory"),
    path("mentors/<int:pk>/", views.mentor_page, name="mentor"),
    path("studios/<int:pk>/", views.studio_page, name="studio"),
]
