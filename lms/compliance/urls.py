from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.report_start, name="report"),
    path("close/", views.close_year, name="close"),
    path(
        "notifications/<int:pk>/read/",
        views.notification_read,
        name="notification_read",
    ),
]
