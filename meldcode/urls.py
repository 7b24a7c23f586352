from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from meldcode import lock_views, views
from meldcode.auth import ThrottledAuthenticationForm
from meldcode.converters import IdConverter

register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("school/", views.school_switch, name="school_switch"),
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("leerlingen/importeren/", views.pupil_import, name="pupil_import"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            authentication_form=ThrottledAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("verbergen/", lock_views.lock, name="lock"),
    path("verborgen/", lock_views.unlock, name="unlock"),
    path(
        "wachtwoord/vergeten/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "wachtwoord/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/nieuw/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("casussen/", include("cases.urls")),
    path("sociale-kaart/", include("socialmap.urls")),
    path("beheer/", admin.site.urls),
]
