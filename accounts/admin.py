"""The second factor's secrets never show in the admin: django-otp's device pages are
taken away (the secrets are encrypted or hashed at rest anyway). A lost phone is the
reset action on the user (meldcode.admin). Django's groups are taken away too: roles are
memberships (meldcode.admin, and "Medewerker toevoegen" in the application). django-axes'
records of sign-in attempts show under Dutch names, read-only as axes shows them."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from django.apps import apps
from django.contrib import admin

from accounts.models import SignInFailure, SignInLockout, SignInRecord

for label in ("otp_totp.TOTPDevice", "otp_static.StaticDevice", "auth.Group"):
    model = apps.get_model(label)
    if admin.site.is_registered(model):
        admin.site.unregister(model)

admin.site.register(SignInLockout, AccessAttemptAdmin)
admin.site.register(SignInFailure, AccessFailureLogAdmin)
admin.site.register(SignInRecord, AccessLogAdmin)

from accounts import oidc_admin  # noqa: E402,F401  (the school-account sign-in per board)
