"""Pages of the materials library."""

from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("add/", views.document_add, name="document_add"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/download/", views.document_download, name="document_download"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("<int:pk>/read-again/", views.document_read_again, name="document_read_again"),
]
