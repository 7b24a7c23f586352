from django.urls import path

from cases.meetings import views

urlpatterns = [
    path("<id:pk>/gesprek/nieuw/", views.meeting_new, name="meeting_new"),
    path("<id:pk>/gesprek/<id:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<id:pk>/gesprek/<id:meeting_id>/verslag/", views.meeting_report, name="meeting_report"),
    path("<id:pk>/gesprek/<id:meeting_id>/agenda.ics", views.meeting_ics, name="meeting_ics"),
    path(
        "<id:pk>/gesprek/<id:meeting_id>/verslag.pdf",
        views.meeting_report_pdf,
        name="meeting_report_pdf",
    ),
    path("<id:pk>/gesprek/<id:meeting_id>/verzetten/", views.meeting_move, name="meeting_move"),
    path("<id:pk>/gesprek/<id:meeting_id>/afzeggen/", views.meeting_cancel, name="meeting_cancel"),
    path("<id:pk>/gesprek/<id:meeting_id>/ondertekenen/", views.meeting_sign, name="meeting_sign"),
    path("<id:pk>/gesprek/<id:meeting_id>/ouders/", views.meeting_signoff, name="meeting_signoff"),
    path("<id:pk>/afspraak/<id:agreement_id>/klaar/", views.agreement_done, name="agreement_done"),
]
