"""The guidance page (/<lang>/tray/guidance/)."""

from django.urls import path

from . import views_guidance

urlpatterns = [
    path("", views_guidance.guidance_page, name="guidance"),
]
