from django.urls import path

from . import audit_views, player_views, views, views_exams

app_name = "courses"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("textbooks/", views.textbooks, name="textbooks"),
    path("textbooks/<int:pk>/", views.textbook, name="textbook"),
    path(
        "textbooks/<int:pk>/files/<int:attachment_pk>/",
        views.textbook_attachment,
        name="textbook_attachment",
    ),
    path("lessons/<int:pk>/media/", views.lesson_media, name="lesson_media"),
    path("lessons/<int:pk>/play-token/", player_views.play_token, name="play_token"),
    path("lessons/<int:pk>/play/", player_views.play_open, name="play_open"),
    path("lessons/<int:pk>/heartbeat/", player_views.heartbeat, name="heartbeat"),
    path("lessons/<int:pk>/presence/", player_views.presence, name="presence"),
    path(
        "lessons/<int:pk>/checkpoints/<str:checkpoint_id>/",
        player_views.checkpoint,
        name="checkpoint",
    ),
    path(
        "lessons/<int:pk>/checkpoints/<str:checkpoint_id>/answer/",
        player_views.checkpoint_submit,
        name="checkpoint_answer",
    ),
    path("lessons/<int:pk>/test/", views_exams.test_submit, name="test_submit"),
    path("lessons/<int:pk>/test/start/", views_exams.test_start, name="test_start"),
    path("lessons/<int:pk>/test/save/", views_exams.test_save, name="test_save"),
    path("lessons/<int:pk>/test/leave/", views_exams.test_leave, name="test_leave"),
    path("lessons/<int:pk>/submit/", views.lesson_submit, name="lesson_submit"),
    path("audit/", audit_views.suspicious, name="audit"),
    path("audit/workers/<int:pk>/", audit_views.worker_study, name="audit_worker"),
    path("teach/", views.teach, name="teach"),
    path("uploads/", views.upload_start, name="upload_start"),
    path("uploads/<uuid:pk>/", views.upload_chunk, name="upload"),
    path("uploads/<uuid:pk>/complete/", views.upload_finish, name="upload_complete"),
]
