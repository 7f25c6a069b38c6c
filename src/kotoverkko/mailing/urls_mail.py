"""Addresses that list messages carry, outside the language prefix so that they never change:
the one-click unsubscribe link of List-Unsubscribe (RFC 8058)."""

from django.urls import path

from . import views_lists

app_name = "mailing_mail"

urlpatterns = [
    path("unsubscribe/<str:token>", views_lists.unsubscribe_one_click, name="unsubscribe"),
]
