from django.urls import path

from cases import dossier_views, views

app_name = "cases"

urlpatterns = [
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/dossier/nieuw/<str:kind>/", dossier_views.entry_new, name="entry_new"),
    path("<int:pk>/inzage/", dossier_views.case_access_log, name="access_log"),
    path(
        "leerling/<int:pupil_id>/tijdlijn/",
        dossier_views.pupil_chronology,
        name="pupil_chronology",
    ),
]
