"""The application manager sets up each board's school-account sign-in: the secret is
typed once and kept encrypted (or named as an environment variable), never shown; the
endpoints are read from the issuer when saved."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.oidc import DiscoveryFailed, acceptable_url, provider_discover
from accounts.oidc_models import SchoolAccountProvider


class SchoolAccountProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Kept encrypted. Leave empty to keep the current one, or name an environment "
            "variable instead."
        ),
    )

    class Meta:
        model = SchoolAccountProvider
        fields = [
            "board",
            "enabled",
            "label",
            "issuer",
            "client_id",
            "client_secret_env",
            "email_domains",
            "trust_provider_factor",
            "trusted_acr",
            "passwords_off",
        ]

    def clean(self) -> dict:
        data = super().clean()
        secret, env = data.get("client_secret"), data.get("client_secret_env")
        if not (secret or env or self.instance.client_secret_encrypted):
            self.add_error(
                "client_secret", _("Give the secret, or the environment variable that holds it.")
            )
        issuer = data.get("issuer")
        if issuer and not acceptable_url(issuer):
            self.add_error("issuer", _("The issuer must be an https:// address."))
        elif issuer and not self.errors:
            self.instance.issuer = issuer
            try:
                provider_discover(provider=self.instance)
            except DiscoveryFailed as failed:
                self.add_error("issuer", str(failed))
        if data.get("passwords_off") and not data.get("enabled"):
            self.add_error("passwords_off", _("Passwords can only be off while this is in use."))
        return data

    def save(self, commit: bool = True):
        provider = super().save(commit=False)
        if self.cleaned_data.get("client_secret_env"):
            provider.client_secret_encrypted = ""
        elif self.cleaned_data.get("client_secret"):
            provider.secret_set(self.cleaned_data["client_secret"])
        if commit:
            provider.save()
        return provider


@admin.register(SchoolAccountProvider)
class SchoolAccountProviderAdmin(SimpleHistoryAdmin):
    form = SchoolAccountProviderForm
    list_display = ["board", "label", "issuer", "enabled", "trust_provider_factor", "passwords_off"]
    readonly_fields = [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
    ]
    autocomplete_fields = ["board"]
