from django.urls import include, path

from cases import uploads, views

app_name = "cases"

# Each part of a case brings its own urls (same namespace, so the names stay `cases:…`).
urlpatterns = [
    path("", views.case_list, name="list"),
    path("nieuw/", views.case_new, name="new"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/naar/<str:to>/", views.case_move, name="move"),
    path("<id:pk>/noodsituatie/", views.case_emergency, name="emergency"),
    path("<id:pk>/verantwoordelijke/", views.case_responsible, name="responsible"),
    path("<id:pk>/toegang/", views.case_grant, name="grant"),
    path("<id:pk>/toegang/intrekken/", views.case_revoke, name="revoke"),
    path("verantwoordelijkheden/", views.matrix_edit, name="matrix"),
    path("termijnen/", views.terms_edit, name="terms"),
    path("<id:pk>/bestand/<id:upload_id>/", uploads.upload_download, name="upload"),
    path("", include("cases.dossier.urls")),
    path("", include("cases.consultations.urls")),
    path("", include("cases.meetings.urls")),
    path("", include("cases.weighing.urls")),
    path("", include("cases.help.urls")),
    path("", include("cases.report.urls")),
    path("", include("cases.pdf.urls")),
    path("", include("cases.inzage.urls")),
    path("", include("cases.actions.urls")),
    path("", include("cases.evaluation.urls")),
    path("", include("cases.leaving.urls")),
    path("", include("cases.links.urls")),
    path("", include("cases.quick.urls")),
    path("signaal-medewerker/", include("cases.staff_signals.urls")),
]
