"""The second factor's secrets never show in the admin: django-otp's device pages are
taken away (the secrets are encrypted or hashed at rest anyway). A lost phone is the
reset action on the user (meldcode.admin)."""

from django.apps import apps
from django.contrib import admin

for label in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
    model = apps.get_model(label)
    if admin.site.is_registered(model):
        admin.site.unregister(model)

from accounts import oidc_admin  # noqa: E402,F401  (the school-account sign-in per board)
