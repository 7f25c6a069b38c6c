"""Running a meeting: agenda and materials, registrations and attendance, invitations,
minutes."""

from django.urls import path

from . import views_meeting

urlpatterns = [
    path("<int:pk>/agenda/", views_meeting.agenda, name="manage_agenda"),
    path("<int:pk>/agenda/print/", views_meeting.agenda_print, name="agenda_print"),
    path("<int:pk>/agenda/<int:item_pk>/", views_meeting.agenda_item, name="manage_agenda_item"),
    path(
        "<int:pk>/agenda/<int:item_pk>/slots/",
        views_meeting.agenda_slots,
        name="manage_agenda_slots",
    ),
    path("<int:pk>/materials/", views_meeting.materials, name="manage_materials"),
    path("materials/<int:material_pk>/", views_meeting.material_download, name="material"),
    path("<int:pk>/registrations/", views_meeting.registrations, name="manage_registrations"),
    path(
        "<int:pk>/registrations/export/<str:fmt>/",
        views_meeting.registrations_export,
        name="manage_registrations_export",
    ),
    path("<int:pk>/invitations/", views_meeting.invitations, name="manage_invitations"),
    path("<int:pk>/minutes/", views_meeting.minutes, name="manage_minutes"),
]
