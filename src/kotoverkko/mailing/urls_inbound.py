"""Incoming mail handed over by the mail server over HTTP (outside the language prefix)."""

from django.urls import path

from . import views

app_name = "mailing_inbound"

urlpatterns = [
    path("bounce", views.inbound_bounce, name="bounce"),
]
