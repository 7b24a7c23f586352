from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn_views

from accounts import draft_views, lock_views, oidc_views, passkeys, second_factor_views, sessions
from accounts.lockout import SignInView
from accounts.password_reset import QuietPasswordResetView, ResetConfirmView

# django-otp-webauthn's JSON endpoints, with Meldcode's rules for adding and using a passkey.
webauthn_patterns = (
    [
        path(
            "registratie/begin/",
            passkeys.RegistrationBegin.as_view(),
            name="credential-registration-begin",
        ),
        path(
            "registratie/klaar/",
            passkeys.RegistrationComplete.as_view(),
            name="credential-registration-complete",
        ),
        path(
            "inloggen/begin/",
            webauthn_views.BeginCredentialAuthenticationView.as_view(),
            name="credential-authentication-begin",
        ),
        path(
            "inloggen/klaar/",
            passkeys.AuthenticationComplete.as_view(),
            name="credential-authentication-complete",
        ),
        path(
            "jsi18n/",
            JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
            name="js-i18n-catalog",
        ),
    ],
    "otp_webauthn",
)

urlpatterns = [
    path("passkey/", include(webauthn_patterns)),
    path("beveiliging/passkey/", second_factor_views.passkey_add, name="passkey_add"),
    path(
        "beveiliging/passkey/<int:device_id>/verwijderen/",
        second_factor_views.passkey_delete,
        name="passkey_delete",
    ),
    path("inloggen/", SignInView.as_view(redirect_authenticated_user=True), name="login"),
    path("tweede-factor/instellen/", second_factor_views.otp_enrol, name="otp_enrol"),
    path("tweede-factor/", second_factor_views.otp_verify, name="otp_verify"),
    path("beveiliging/", second_factor_views.security, name="security"),
    path(
        "beveiliging/herstelcodes/",
        second_factor_views.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path(
        "beveiliging/app/<int:device_id>/verwijderen/",
        second_factor_views.device_delete,
        name="device_delete",
    ),
    path(
        "inloggen/schoolaccount/",
        oidc_views.SchoolAccountStart.as_view(),
        name="school_account_start",
    ),
    path(
        "inloggen/schoolaccount/terug/",
        oidc_views.SchoolAccountCallback.as_view(),
        name="school_account_callback",
    ),
    path("uitloggen/", oidc_views.SignOutView.as_view(), name="logout"),
    path("verbergen/", lock_views.lock, name="lock"),
    path("verborgen/", lock_views.unlock, name="unlock"),
    path("bezig/", draft_views.keep_alive, name="keep_alive"),
    path("concept/bewaren/", draft_views.draft_keep, name="draft_keep"),
    path("concept/weggooien/", draft_views.draft_throw_away, name="draft_throw_away"),
    path("uitloggen/niets-gebeurd/", draft_views.idle_sign_out, name="idle_sign_out"),
    path("sessies/", sessions.session_list, name="sessions"),
    path("sessies/beeindigen/", sessions.session_end, name="session_end"),
    path("wachtwoord/wijzigen/", sessions.PasswordChange.as_view(), name="password_change"),
    path("wachtwoord/vergeten/", QuietPasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/nieuw/<uidb64>/<token>/",
        ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
