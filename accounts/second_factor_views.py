"""Enrolment of the authenticator app, the second factor at every sign-in (and again for
step-up), and the user's own security page."""

from __future__ import annotations

import math

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import AuthenticatorApp, RecoveryCodes, SecurityEvent
from accounts.oidc import step_up_url as school_account_step_up
from accounts.passkeys import allow_passkey_registration
from accounts.second_factor import (
    app_confirm,
    app_for_enrolment,
    device_remove,
    factor_passed,
    has_confirmed_device,
    recovery_codes_create,
    user_devices,
)
from accounts.step_up import factor_is_fresh
from meldcode.text_guard import GuardedForm

MAX_ATTEMPTS = 5
ATTEMPTS = "meldcode_otp_attempts"
PASSWORD_ATTEMPTS = "meldcode_password_change_attempts"


class CodeForm(GuardedForm):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasswordForm(GuardedForm):
    """The password again, for a change to how one signs in."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not right."))
        return password


class AddDeviceForm(PasswordForm, CodeForm):
    field_order = ["password", "code"]


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "home"


def _verified(request: HttpRequest, device) -> None:
    first = not request.user.is_verified()
    otp_login(request, device)
    if first:
        # A new session id once the second factor is passed.
        request.session.cycle_key()
    factor_passed(request)
    request.session.pop(ATTEMPTS, None)


def _too_many(request: HttpRequest, key: str = ATTEMPTS) -> bool:
    request.session[key] = request.session.get(key, 0) + 1
    return request.session[key] >= MAX_ATTEMPTS


def _wrong_password(request: HttpRequest, form: forms.Form) -> bool:
    """A wrong password counts with the password change's: five sign the session out."""
    return "password" in form.errors and _too_many(request, PASSWORD_ATTEMPTS)


def _match(user, code: str):
    """Six digits are an app's code, anything else a recovery code: a recovery code typed
    never counts against the app's throttle, and the app's throttle never blocks one."""
    kind = AuthenticatorApp if code.isdigit() else RecoveryCodes
    for device in kind.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def _throttle_wait(user) -> int:
    """Seconds until the authenticator app may be tried again (0: it may now)."""
    waits = []
    for device in devices_for_user(user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            until = details.get("locked_until")
            if until:
                waits.append(math.ceil((until - timezone.now()).total_seconds()))
    return max([0, *waits])


@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """The first device with the password alone; any further one only after a passed
    second factor and the password again."""
    user = request.user
    adding = has_confirmed_device(user)
    if adding and not user.is_verified():
        return redirect(f"{reverse('otp_verify')}?next={reverse('otp_enrol')}")
    if not adding and user.is_verified():
        return redirect("home")
    device = app_for_enrolment(user)
    form = (
        AddDeviceForm(request.POST or None, user=user) if adding else CodeForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            codes = app_confirm(device=device, name=_("authenticator app"))
            _verified(request, device)
            if codes:
                return render(request, "registration/recovery_codes.html", {"codes": codes})
            messages.success(request, _("The new authenticator app is added."))
            return redirect("security")
        if _too_many(request):
            logout(request)
            return redirect("login")
        form.add_error("code", _("This code is not right. Check the time on your phone."))
    elif request.method == "POST" and _wrong_password(request, form):
        logout(request)
        return redirect("login")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/otp_enrol.html",
        {
            "form": form,
            "adding": adding,
            # segno writes plain SVG markup (no script): safe to inline under the CSP.
            "qr": mark_safe(qr.svg_inline(scale=4, title=_("QR code for your authenticator"))),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next(request),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second factor at sign-in, and again for step-up when the last one is old."""
    step_up = request.user.is_verified()
    if step_up and factor_is_fresh(request):
        return redirect(_next(request))
    if step_up and (again := school_account_step_up(request, _next(request))):
        return redirect(again)  # the provider's own second factor, asked again there
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        # Throttled before this try: a right app code would be refused too, so say so.
        wait = _throttle_wait(request.user) if code.isdigit() else 0
        device = _match(request.user, code)
        if device is not None:
            _verified(request, device)
            if device.name == "recovery":
                messages.warning(
                    request,
                    _("You used a recovery code; it works only once. Ask for a reset if "
                      "your phone is lost."),
                )  # fmt: skip
            return redirect(_next(request))
        if _too_many(request):
            logout(request)
            return redirect("login")
        if wait:
            form.add_error(
                "code",
                _("Too many attempts: try again in %(seconds)s seconds, or use a recovery "
                  "code.") % {"seconds": wait},
            )  # fmt: skip
        else:
            form.add_error("code", _("This code is not right."))
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": _next(request), "step_up": step_up},
    )


@require_GET
def security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/security.html",
        {
            "devices": user_devices(request.user),
            "events": SecurityEvent.objects.filter(user=request.user)[:50],
            "form": PasswordForm(user=request.user),
        },
    )


def _security_action(request: HttpRequest, action) -> HttpResponse:
    """A change to the user's devices: the password again, within a fresh second factor."""
    if not factor_is_fresh(request):
        return redirect(f"{reverse('otp_verify')}?next={reverse('security')}")
    form = PasswordForm(request.POST, user=request.user)
    if form.is_valid():
        return action()
    if _wrong_password(request, form):
        logout(request)
        return redirect("login")
    return render(
        request,
        "registration/security.html",
        {
            "devices": user_devices(request.user),
            "events": SecurityEvent.objects.filter(user=request.user)[:50],
            "form": form,
        },
        status=400,
    )


@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    def make() -> HttpResponse:
        codes = recovery_codes_create(request.user)
        return render(request, "registration/recovery_codes.html", {"codes": codes})

    return _security_action(request, make)


@require_POST
def device_delete(request: HttpRequest, device_id: int) -> HttpResponse:
    device = get_object_or_404(AuthenticatorApp, user=request.user, pk=device_id, confirmed=True)

    def remove() -> HttpResponse:
        if len(user_devices(request.user)) <= 1:
            messages.error(
                request, _("This is your only second factor: add another one before removing it.")
            )
        else:
            device_remove(user=request.user, device=device)
            messages.success(request, _("The authenticator app is removed."))
        return redirect("security")

    return _security_action(request, remove)


@require_POST
def passkey_add(request: HttpRequest) -> HttpResponse:
    """The password again opens a few minutes in which a passkey may be registered."""

    def allow() -> HttpResponse:
        allow_passkey_registration(request)
        return render(request, "registration/passkey_add.html")

    return _security_action(request, allow)


@require_POST
def passkey_delete(request: HttpRequest, device_id: int) -> HttpResponse:
    device = get_object_or_404(WebAuthnCredential, user=request.user, pk=device_id)

    def remove() -> HttpResponse:
        if len(user_devices(request.user)) <= 1:
            messages.error(
                request, _("This is your only second factor: add another one before removing it.")
            )
        else:
            device_remove(user=request.user, device=device)
            messages.success(request, _("The passkey is removed."))
        return redirect("security")

    return _security_action(request, remove)
