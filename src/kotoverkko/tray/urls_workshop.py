"""Workshop pages, under /<lang>/tray/workshops/."""

from django.urls import path

from . import views_workshop as views

urlpatterns = [
    path("", views.workshop_list, name="workshop_list"),
    path("new/", views.workshop_create, name="workshop_create"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("<int:pk>/edit/", views.workshop_edit, name="workshop_edit"),
    path("<int:pk>/status/", views.workshop_status, name="workshop_status"),
    path("<int:pk>/live/", views.workshop_live, name="workshop_live"),
    path("<int:pk>/invitations/", views.invitation_list, name="workshop_invitations"),
    path("<int:pk>/invitations/send/", views.invitations_send, name="workshop_invitations_send"),
    path(
        "<int:pk>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="workshop_invitation_resend",
    ),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="workshop_follow_up_add"),
    path(
        "<int:pk>/follow-ups/<int:follow_up_id>/",
        views.follow_up_mark,
        name="workshop_follow_up_mark",
    ),
    path("<int:pk>/summary/", views.workshop_summary, name="workshop_summary"),
    path("<int:pk>/summary.xlsx", views.workshop_summary_xlsx, name="workshop_summary_xlsx"),
    path("<int:pk>/summary.pdf", views.workshop_summary_pdf, name="workshop_summary_pdf"),
    path("link/<str:token>/", views.invitation_fill, name="workshop_fill"),
    path(
        "link/<str:token>/offerings/<int:offering_id>/",
        views.invitation_offering_edit,
        name="workshop_fill_offering",
    ),
]
