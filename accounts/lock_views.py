"""Quick hide: the screen goes blank at once; coming back asks for the password."""

from __future__ import annotations

from django import forms
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from meldcode.security import LOCKED
from meldcode.text_guard import GuardedForm

UNLOCK_ATTEMPTS = 5


class UnlockForm(GuardedForm):
    password = forms.CharField(
        label=gettext_lazy("Password"), widget=forms.PasswordInput(attrs={"autofocus": True})
    )


@require_POST
def lock(request: HttpRequest) -> HttpResponse:
    request.session[LOCKED] = True
    return redirect("unlock")


@require_http_methods(["GET", "POST"])
def unlock(request: HttpRequest) -> HttpResponse:
    if not request.session.get(LOCKED):
        return redirect("home")
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            request.session.pop(LOCKED, None)
            request.session.pop("meldcode_unlock_attempts", None)
            return redirect("home")
        attempts = request.session.get("meldcode_unlock_attempts", 0) + 1
        request.session["meldcode_unlock_attempts"] = attempts
        if attempts >= UNLOCK_ATTEMPTS:
            logout(request)
            return redirect("login")
        form.add_error("password", _("This password is not right."))
    # Someone who signs in only with the school account has no password to type here.
    password = request.user.has_usable_password()
    return render(request, "registration/unlock.html", {"form": form, "password": password})
