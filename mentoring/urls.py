from django.urls import path

from . import views

app_name = "mentoring"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("placements/<int:pk>/", views.placement_detail, name="placement"),
    path("directory/", views.directory, name="directory"),
    path("mentors/<int:pk>/", views.mentor_page, name="mentor"),
    path("studios/<int:pk>/", views.studio_page, name="studio"),
    path("questions/", views.questions, name="questions"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/<int:pk>/", views.question_detail, name="question"),
    path("questions/<int:pk>/accept/<int:answer_id>/", views.accept, name="accept"),
    path("questions/<int:pk>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("faq/", views.faq, name="faq"),
    path("pairs/<int:pk>/", views.pairing_detail, name="pairing"),
    path("pool/", views.pool_dashboard, name="pool"),
    path("pool/assignments/<int:pk>/visit/", views.visit_record, name="visit"),
]
