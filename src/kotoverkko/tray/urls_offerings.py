"""Pages of the tray's offerings and wishes."""

from django.urls import path

from . import views_offerings as views

urlpatterns = [
    path("", views.offering_list, name="offering_list"),
    path("offerings/<int:pk>/", views.offering_detail, name="offering_detail"),
    path("offerings/<int:pk>/edit/", views.offering_edit, name="offering_edit"),
    path("offerings/<int:pk>/confirm/", views.offering_confirm, name="offering_confirm"),
    path("offerings/<int:pk>/archive/", views.offering_archive, name="offering_archive"),
    path("offerings/<int:pk>/restore/", views.offering_restore, name="offering_restore"),
    path("organisations/<int:org_pk>/", views.organisation_tray, name="organisation_tray"),
    path("organisations/<int:org_pk>/add/", views.offering_add, name="offering_add"),
    path("networks/<slug:slug>/", views.network_area, name="network_area"),
    path(
        "networks/<slug:slug>/export/<str:kind>/",
        views.network_area_export,
        name="network_area_export",
    ),
    path("wishes/", views.wish_list, name="wish_list"),
    path("wishes/new/", views.wish_add, name="wish_add"),
    path("wishes/<int:pk>/", views.wish_detail, name="wish_detail"),
    path("wishes/<int:pk>/respond/", views.wish_respond, name="wish_respond"),
    path("wishes/<int:pk>/done/", views.wish_done, name="wish_done"),
]
