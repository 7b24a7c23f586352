from django.urls import path

from cases.dossier import views

urlpatterns = [
    path("<id:pk>/dossier/nieuw/<str:kind>/", views.entry_new, name="entry_new"),
    path("<id:pk>/leeslog/", views.case_access_log, name="access_log"),
    path("leerling/<id:pupil_id>/tijdlijn/", views.pupil_chronology, name="pupil_chronology"),
]
