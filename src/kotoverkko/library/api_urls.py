"""API addresses of the materials library."""

from django.urls import path

from . import api

urlpatterns = [
    path("documents/", api.DocumentListApi.as_view(), name="api-document-list"),
    path("documents/<int:pk>/", api.DocumentDetailApi.as_view(), name="api-document-detail"),
    path(
        "documents/<int:pk>/similar/",
        api.SimilarDocumentsApi.as_view(),
        name="api-document-similar",
    ),
]
