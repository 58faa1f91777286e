from django.urls import path

from .views import trainer, worker

app_name = "training"
urlpatterns = [
    path("", worker.my_classes, name="classes"),
    path("class/<int:pk>/", worker.class_detail, name="class"),
    path("class/<int:pk>/enrol/", worker.enrol, name="enrol"),
    path("class/<int:pk>/cancel/", worker.cancel, name="cancel"),
    path("class/<int:pk>/rate/", worker.rate_class, name="rate_class"),
    path("c/<str:code>/", worker.check_in, name="checkin"),
    path("ledger/", worker.ledger, name="ledger"),
    path("external/", worker.external, name="external"),
    path("teach/", trainer.my_teaching, name="teaching"),
    path("teach/profile/", trainer.profile, name="trainer_profile"),
    path("teach/class/<int:pk>/", trainer.roster, name="roster"),
    path(
        "teach/session/<int:pk>/", trainer.session_attendance, name="session_attendance"
    ),
    path("teach/session/<int:pk>/mark/", trainer.mark, name="mark"),
    path("teach/session/<int:pk>/code/", trainer.code_check_in, name="code_check_in"),
    path("teach/session/<int:pk>/qr/", trainer.qr_screen, name="qr"),
    path("teach/session/<int:pk>/qr.json", trainer.qr_data, name="qr_data"),
    path("teach/enrolment/<int:pk>/grade/", trainer.grade, name="grade"),
]
