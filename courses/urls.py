from django.urls import path

from .views import audit, catalogue, exams, lessons, player, teach

app_name = "courses"
urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("textbooks/", catalogue.textbooks, name="textbooks"),
    path("textbooks/<int:pk>/", catalogue.textbook, name="textbook"),
    path(
        "textbooks/<int:pk>/files/<int:attachment_pk>/",
        catalogue.textbook_attachment,
        name="textbook_attachment",
    ),
    path("lessons/<int:pk>/media/", lessons.lesson_media, name="lesson_media"),
    path("lessons/<int:pk>/play-token/", player.play_token, name="play_token"),
    path("lessons/<int:pk>/play/", player.play_open, name="play_open"),
    path("lessons/<int:pk>/heartbeat/", player.heartbeat, name="heartbeat"),
    path("lessons/<int:pk>/presence/", player.presence, name="presence"),
    path(
        "lessons/<int:pk>/checkpoints/<str:checkpoint_id>/",
        player.checkpoint,
        name="checkpoint",
    ),
    path(
        "lessons/<int:pk>/checkpoints/<str:checkpoint_id>/answer/",
        player.checkpoint_submit,
        name="checkpoint_answer",
    ),
    path("lessons/<int:pk>/test/", exams.test_submit, name="test_submit"),
    path("lessons/<int:pk>/test/start/", exams.test_start, name="test_start"),
    path("lessons/<int:pk>/test/save/", exams.test_save, name="test_save"),
    path("lessons/<int:pk>/test/leave/", exams.test_leave, name="test_leave"),
    path("lessons/<int:pk>/submit/", teach.lesson_submit, name="lesson_submit"),
    path("audit/", audit.suspicious, name="audit"),
    path("audit/workers/<int:pk>/", audit.worker_study, name="audit_worker"),
    path("teach/", teach.teach, name="teach"),
    path("uploads/", teach.upload_start, name="upload_start"),
    path("uploads/<uuid:pk>/", teach.upload_chunk, name="upload"),
    path("uploads/<uuid:pk>/complete/", teach.upload_finish, name="upload_complete"),
]
