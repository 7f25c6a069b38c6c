"""API addresses for news and bulletin issues."""

from django.urls import path

from . import api

urlpatterns = [
    path("newsletter/news/", api.NewsListApi.as_view(), name="api-news-list"),
    path("newsletter/news/<int:pk>/", api.NewsDetailApi.as_view(), name="api-news-detail"),
    path("newsletter/issues/", api.IssueListApi.as_view(), name="api-issue-list"),
    path("newsletter/issues/<int:pk>/", api.IssueDetailApi.as_view(), name="api-issue-detail"),
    path(
        "newsletter/issues/<int:pk>/delivery/",
        api.IssueDeliveryApi.as_view(),
        name="api-issue-delivery",
    ),
]
