from django.urls import path

from socialmap import views

app_name = "socialmap"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nieuw/", views.organisation_create, name="create"),
    path("<id:pk>/", views.organisation_detail, name="detail"),
    path("<id:pk>/wijzigen/", views.organisation_edit, name="edit"),
    path("<id:pk>/archiveren/", views.organisation_archive, name="archive"),
    path("<id:pk>/terugzetten/", views.organisation_restore, name="restore"),
    path("<id:pk>/gecontroleerd/", views.organisation_mark_checked, name="mark_checked"),
    path("afdrukken/", views.organisation_print, name="print"),
    path("exporteren/", views.organisation_export, name="export"),
    path("importeren/", views.organisation_import, name="import"),
    path("bestuur-overnemen/", views.templates_copy, name="templates_copy"),
    path("bestuur/", views.template_list, name="template_list"),
    path("bestuur/nieuw/", views.template_create, name="template_create"),
    path("bestuur/<id:pk>/wijzigen/", views.template_edit, name="template_edit"),
    path("bestuur/<id:pk>/verwijderen/", views.template_delete, name="template_delete"),
]
