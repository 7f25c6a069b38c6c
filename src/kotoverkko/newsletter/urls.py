"""Bulletin pages: the public archive, news and feeds of a network, and the coordinators'
pages for news and issues."""

from django.urls import path

from . import views, views_manage

app_name = "newsletter"

urlpatterns = [
    # Public pages of a network.
    path("networks/<slug:slug>/newsletter/", views.archive, name="archive"),
    path("networks/<slug:slug>/newsletter/<int:pk>/", views.archive_issue, name="archive_issue"),
    path("networks/<slug:slug>/news/", views.news_list, name="news"),
    path("networks/<slug:slug>/news/<int:pk>/", views.news_detail, name="news_detail"),
    path("networks/<slug:slug>/news.rss", views.news_rss, name="news_rss"),
    path("networks/<slug:slug>/news.atom", views.news_atom, name="news_atom"),
    # Coordination.
    path("coordination/newsletter/", views_manage.index, name="manage"),
    path(
        "coordination/newsletter/networks/<slug:slug>/",
        views_manage.issue_list,
        name="manage_issues",
    ),
    path(
        "coordination/newsletter/networks/<slug:slug>/compile/",
        views_manage.issue_compile,
        name="manage_compile",
    ),
    path(
        "coordination/newsletter/networks/<slug:slug>/news/",
        views_manage.news_list,
        name="manage_news",
    ),
    path(
        "coordination/newsletter/networks/<slug:slug>/news/new/",
        views_manage.news_create,
        name="manage_news_create",
    ),
    path("coordination/newsletter/news/<int:pk>/", views_manage.news_edit, name="manage_news_edit"),
    path(
        "coordination/newsletter/news/<int:pk>/delete/",
        views_manage.news_delete,
        name="manage_news_delete",
    ),
    path("coordination/newsletter/issues/<int:pk>/", views_manage.issue_edit, name="manage_issue"),
    path(
        "coordination/newsletter/issues/<int:pk>/preview/",
        views_manage.issue_preview,
        name="manage_preview",
    ),
    path(
        "coordination/newsletter/issues/<int:pk>/test/",
        views_manage.issue_test,
        name="manage_test",
    ),
    path(
        "coordination/newsletter/issues/<int:pk>/send/",
        views_manage.issue_send,
        name="manage_send",
    ),
    path(
        "coordination/newsletter/issues/<int:pk>/schedule/",
        views_manage.issue_schedule,
        name="manage_schedule",
    ),
    path(
        "coordination/newsletter/issues/<int:pk>/unschedule/",
        views_manage.issue_unschedule,
        name="manage_unschedule",
    ),
    path(
        "coordination/newsletter/issues/<int:pk>/delete/",
        views_manage.issue_delete,
        name="manage_delete",
    ),
]
