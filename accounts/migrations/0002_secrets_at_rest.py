"""Existing second factors move to the protected models: each authenticator key is
encrypted, each recovery code kept only as its hash; the rows in clear are removed."""

from django.db import migrations


def protect(apps, schema_editor):
    from accounts import secrets

    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    AuthenticatorApp = apps.get_model("accounts", "AuthenticatorApp")
    RecoveryCodes = apps.get_model("accounts", "RecoveryCodes")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for old in TOTPDevice.objects.all():
        AuthenticatorApp.objects.create(
            user_id=old.user_id,
            name=old.name,
            confirmed=old.confirmed,
            encrypted_key=secrets.encrypt(bytes.fromhex(old.key)),
            step=old.step,
            t0=old.t0,
            digits=old.digits,
            tolerance=old.tolerance,
            drift=old.drift,
            last_t=old.last_t,
            created_at=old.created_at,
            last_used_at=old.last_used_at,
        )
    TOTPDevice.objects.all().delete()
    for old in StaticDevice.objects.all():
        device = RecoveryCodes.objects.create(
            user_id=old.user_id, name="recovery", confirmed=old.confirmed
        )
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, digest=secrets.code_digest(token.token))
            for token in old.token_set.all()
        )
        old.token_set.all().delete()
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(protect, migrations.RunPython.noop)]
