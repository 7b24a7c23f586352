from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from meldcode import views
from meldcode.converters import IdConverter

register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("school/", views.school_switch, name="school_switch"),
    path("school/toegang/", views.school_access, name="school_access"),
    path("bestuur/toegang/", views.board_access, name="board_access"),
    path("school/bewaartermijn/", views.retention, name="retention"),
    path("school/medewerkers/toevoegen/", views.staff_add, name="staff_add"),
    path("school/medewerkers/importeren/", views.staff_import_view, name="staff_import"),
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("leerlingen/importeren/", views.pupil_import, name="pupil_import"),
    path("leerlingen/<id:pupil_id>/vertrek/", views.pupil_left, name="pupil_left"),
    path("", include("accounts.urls")),
    path("casussen/", include("cases.urls")),
    path("sociale-kaart/", include("socialmap.urls")),
    # One sign-in door for everyone, the admin too: locked out, second factor, the lot.
    path("beheer/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("beheer/", admin.site.urls),
]
