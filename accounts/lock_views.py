"""Quick hide: the screen goes blank at once; coming back asks for the password, and then
returns to the page that was hidden. The hidden screen names nothing: no application, no
person, no school (templates/registration/unlock.html)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.drafts import draft_path_is_safe
from meldcode.security import LOCKED
from meldcode.text_guard import GuardedForm

UNLOCK_ATTEMPTS = 5
BACK_TO = "meldcode_locked_page"


class UnlockForm(GuardedForm):
    password = forms.CharField(
        label=gettext_lazy("Password"), widget=forms.PasswordInput(attrs={"autofocus": True})
    )


@require_POST
def lock(request: HttpRequest) -> HttpResponse:
    request.session[LOCKED] = True
    page = request.POST.get("next", "")
    if draft_path_is_safe(page):
        request.session[BACK_TO] = page
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
            return redirect(request.session.pop(BACK_TO, None) or "home")
        attempts = request.session.get("meldcode_unlock_attempts", 0) + 1
        request.session["meldcode_unlock_attempts"] = attempts
        if attempts >= UNLOCK_ATTEMPTS:
            back = request.session.get(BACK_TO)
            logout(request)
            login = reverse("login")
            return redirect(f"{login}?{urlencode({'next': back})}" if back else login)
        form.add_error("password", _("This password is not right."))
    # Someone who signs in only with the school account has no password to type here.
    password = request.user.has_usable_password()
    return render(request, "registration/unlock.html", {"form": form, "password": password})
