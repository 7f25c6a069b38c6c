"""Planning pages of coordinators and team leads: events, series, hosts, costs."""

from django.urls import path

from . import views_manage

urlpatterns = [
    path("", views_manage.event_list, name="manage_list"),
    path("new/<slug:slug>/", views_manage.event_create, name="manage_create"),
    path("<int:pk>/", views_manage.event_overview, name="manage_event"),
    path("<int:pk>/edit/", views_manage.event_edit, name="manage_edit"),
    path("<int:pk>/cancel/", views_manage.event_cancel, name="manage_cancel"),
    path("<int:pk>/next/", views_manage.event_next, name="manage_next"),
    path("<int:pk>/checklist/", views_manage.checklist, name="manage_checklist"),
    path("networks/<slug:slug>/hosts/", views_manage.host_rotation, name="manage_hosts"),
    path("networks/<slug:slug>/costs/", views_manage.costs, name="manage_costs"),
    path("networks/<slug:slug>/costs.csv", views_manage.costs_csv, name="manage_costs_csv"),
]
