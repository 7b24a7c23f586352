"""Enrolment of the authenticator app, and the second factor at every sign-in."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from meldcode.second_factor import recovery_codes_create, totp_device_for_enrolment
from meldcode.text_guard import GuardedForm

MAX_ATTEMPTS = 5
ATTEMPTS = "meldcode_otp_attempts"


class CodeForm(GuardedForm):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "home"


def _verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    # A new session id once the second factor is passed.
    request.session.cycle_key()
    request.session.pop(ATTEMPTS, None)


def _too_many(request: HttpRequest) -> bool:
    request.session[ATTEMPTS] = request.session.get(ATTEMPTS, 0) + 1
    return request.session[ATTEMPTS] >= MAX_ATTEMPTS


@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect("home")
    device = totp_device_for_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save()
            codes = recovery_codes_create(request.user)
            _verified(request, device)
            return render(request, "registration/recovery_codes.html", {"codes": codes})
        if _too_many(request):
            logout(request)
            return redirect("login")
        form.add_error("code", _("This code is not right. Check the time on your phone."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/otp_enrol.html",
        {
            "form": form,
            # segno writes plain SVG markup (no script): safe to inline under the CSP.
            "qr": mark_safe(qr.svg_inline(scale=4, title=_("QR code for your authenticator"))),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next(request),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
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
        form.add_error("code", _("This code is not right."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)})
