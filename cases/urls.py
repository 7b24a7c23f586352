from django.urls import path

from cases import dossier_views, staff_signal_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nieuw/", views.case_new, name="new"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/dossier/nieuw/<str:kind>/", dossier_views.entry_new, name="entry_new"),
    path("<id:pk>/inzage/", dossier_views.case_access_log, name="access_log"),
    path(
        "leerling/<id:pupil_id>/tijdlijn/",
        dossier_views.pupil_chronology,
        name="pupil_chronology",
    ),
    path("<id:pk>/naar/<str:to>/", views.case_move, name="move"),
    path("<id:pk>/noodsituatie/", views.case_emergency, name="emergency"),
    path("<id:pk>/verantwoordelijke/", views.case_responsible, name="responsible"),
    path("<id:pk>/toegang/", views.case_grant, name="grant"),
    path("<id:pk>/toegang/intrekken/", views.case_revoke, name="revoke"),
    path("verantwoordelijkheden/", views.matrix_edit, name="matrix"),
    path("termijnen/", views.terms_edit, name="terms"),
    path("signaal-medewerker/", staff_signal_views.staff_signal_list, name="staff_signal_list"),
    path(
        "signaal-medewerker/melden/",
        staff_signal_views.staff_signal_new,
        name="staff_signal_new",
    ),
    path(
        "signaal-medewerker/ontvangen/",
        staff_signal_views.staff_signal_filed,
        name="staff_signal_filed",
    ),
    path(
        "signaal-medewerker/<id:pk>/",
        staff_signal_views.staff_signal_detail,
        name="staff_signal_detail",
    ),
    path(
        "signaal-medewerker/<id:pk>/actie/",
        staff_signal_views.staff_signal_action,
        name="staff_signal_action",
    ),
]
