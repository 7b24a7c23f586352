from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from meldcode import lock_views, second_factor_views, sessions, views
from meldcode.converters import IdConverter
from meldcode.password_reset import QuietPasswordResetView

register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("school/", views.school_switch, name="school_switch"),
    path("school/toegang/", views.school_access, name="school_access"),
    path("school/bewaartermijn/", views.retention, name="retention"),
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("leerlingen/importeren/", views.pupil_import, name="pupil_import"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("tweede-factor/instellen/", second_factor_views.otp_enrol, name="otp_enrol"),
    path("tweede-factor/", second_factor_views.otp_verify, name="otp_verify"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("verbergen/", lock_views.lock, name="lock"),
    path("sessies/", sessions.session_list, name="sessions"),
    path("sessies/beeindigen/", sessions.session_end, name="session_end"),
    path("wachtwoord/wijzigen/", sessions.PasswordChange.as_view(), name="password_change"),
    path("verborgen/", lock_views.unlock, name="unlock"),
    path(
        "wachtwoord/vergeten/",
        QuietPasswordResetView.as_view(),
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
    # One sign-in door for everyone, the admin too: locked out, second factor, the lot.
    path("beheer/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("beheer/", admin.site.urls),
]
