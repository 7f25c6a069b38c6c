from django.urls import path

from . import views

app_name = "mailing"

urlpatterns = [
    path("", views.outbox_list, name="outbox"),
    path("<int:pk>/", views.outbox_detail, name="outbox_detail"),
    path("<int:pk>/send-again/", views.outbox_retry, name="outbox_retry"),
    path("sendings/", views.batch_list, name="batch_list"),
    path("sendings/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("sendings/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("sendings/<int:pk>/pause/", views.batch_pause, name="batch_pause"),
    path("sendings/<int:pk>/resume/", views.batch_resume, name="batch_resume"),
    path("sendings/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
]
