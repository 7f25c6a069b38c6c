from django.urls import path

from . import views

app_name = "mailing"

urlpatterns = [
    path("", views.outbox_list, name="outbox"),
    path("<int:pk>/", views.outbox_detail, name="outbox_detail"),
    path("<int:pk>/send-again/", views.outbox_retry, name="outbox_retry"),
]
