"""Sign-in with the school's own account (OpenID Connect, with mozilla-django-oidc).

- Each board may have its provider (accounts.oidc_models.SchoolAccountProvider), set up
  by the application manager. mozilla-django-oidc reads one global configuration, so the
  views (accounts.oidc_views) and the backend here set the chosen board's issuer,
  endpoints, client and secret on their own instance.
- The ID token is checked beyond what the library checks: its signature with the
  provider's published key, the issuer, the audience (and `azp`), its expiry and issue
  time (LEEWAY seconds for clocks), the nonce of this sign-in, and that the userinfo's
  `sub` is the token's.
- A person is matched to an existing, active account by a verified e-mail address (the
  `email` claim with `email_verified`, or an address at one of the board's domains) and
  only when that account holds a role at the board or one of its schools. No account is
  ever made, and roles come only from Meldcode's memberships.
- When the provider reports a second factor (`amr` contains "mfa", or the board's
  configured `acr`) and the board trusts it, the session is marked past the second
  factor, as Meldcode's own would (django-otp's `otp_login` with the user's
  SchoolAccountFactor, and `factor_passed`); otherwise Meldcode asks its own.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.oidc_models import SchoolAccountFactor, SchoolAccountProvider
from accounts.second_factor import factor_passed, has_confirmed_device
from meldcode.models import Membership, User

log = logging.getLogger(__name__)

BACKEND = "accounts.oidc.SchoolAccountBackend"
# The sign-ins under way in this browser: state -> {"board", "step_up", "at"}.
FLOWS = "meldcode_school_account_flows"
MAX_FLOWS = 5
FLOW_SECONDS = 15 * 60
# The board whose provider signed this session in (for step-up and signing out).
SIGNED_IN_WITH = "meldcode_school_account_board"
# After signing out: the provider's own sign-out, offered on the sign-in page once.
SIGN_OUT_OFFER = "meldcode_school_account_sign_out"
SIGN_ALGORITHM = "RS256"
ENDPOINTS = (
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)
REQUIRED_ENDPOINTS = ENDPOINTS[:4]


class DiscoveryFailed(Exception):
    """The issuer's configuration could not be read or does not fit (a Dutch reason)."""


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def acceptable_url(url: str) -> bool:
    """HTTPS, or plain HTTP on this machine (development and the tests' provider)."""
    scheme = urlsplit(url).scheme
    return scheme == "https" or (scheme == "http" and _loopback(url))


def provider_discover(*, provider: SchoolAccountProvider) -> None:
    """Fill the provider's endpoints from its issuer's discovery document (not saved)."""
    if not acceptable_url(provider.issuer):
        raise DiscoveryFailed(_("The issuer must be an https:// address."))
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise DiscoveryFailed(
            _("The provider's configuration could not be read (%(error)s).")
            % {"error": type(error).__name__}
        ) from None
    if not isinstance(document, dict) or document.get("issuer") != provider.issuer:
        raise DiscoveryFailed(
            _("The provider calls itself “%(issuer)s”: use exactly that as the issuer.")
            % {"issuer": str(document.get("issuer", "") if isinstance(document, dict) else "")}
        )
    for field in ENDPOINTS:
        value = document.get(field) or ""
        if value and not acceptable_url(value):
            raise DiscoveryFailed(_("The provider's %(field)s is not https.") % {"field": field})
        if field in REQUIRED_ENDPOINTS and not value:
            raise DiscoveryFailed(_("The provider publishes no %(field)s.") % {"field": field})
        setattr(provider, field, value)
    algorithms = document.get("id_token_signing_alg_values_supported") or []
    if SIGN_ALGORITHM not in algorithms:
        raise DiscoveryFailed(
            _("The provider does not sign ID tokens with %(alg)s.") % {"alg": SIGN_ALGORITHM}
        )


def enabled_providers():
    return SchoolAccountProvider.objects.filter(enabled=True).select_related("board")


def provider_for_board(board_id) -> SchoolAccountProvider | None:
    try:
        return enabled_providers().filter(board_id=int(board_id)).first()
    except (TypeError, ValueError):
        return None


def passwords_switched_off(user: User) -> bool:
    """A board the user works for lets its staff sign in only with the school account."""
    boards = Membership.objects.filter(user=user).values("board_id")
    return SchoolAccountProvider.objects.filter(
        enabled=True, passwords_off=True, board_id__in=boards
    ).exists()


def verified_email(*, provider: SchoolAccountProvider, claims: dict) -> str | None:
    """The claims' e-mail address when this provider vouches for it, else None."""
    email = str(claims.get("email") or "").strip().lower()
    if email.count("@") != 1:
        return None
    if claims.get("email_verified") is False or claims.get("email_verified") == "false":
        return None
    domains = provider.domains
    if domains:
        return email if email.rsplit("@", 1)[1] in domains else None
    return email if claims.get("email_verified") in (True, "true") else None


def staff_matching(*, provider: SchoolAccountProvider, claims: dict) -> User | None:
    """The one active account with this verified address that holds a role at the board
    (or one of its schools); None for anyone else. Never makes an account."""
    email = verified_email(provider=provider, claims=claims)
    if email is None:
        return None
    at_board = Membership.objects.filter(
        Q(board_id=provider.board_id) | Q(school__board_id=provider.board_id)
    ).values("user_id")
    users = list(
        get_user_model()
        .objects.filter(email__iexact=email, is_active=True, is_superuser=False)
        .filter(pk__in=at_board)[:2]
    )
    return users[0] if len(users) == 1 else None


def provider_factor_passed(*, provider: SchoolAccountProvider, claims: dict) -> bool:
    if not provider.trust_provider_factor:
        return False
    amr = claims.get("amr")
    if isinstance(amr, list) and "mfa" in amr:
        return True
    return bool(provider.trusted_acr) and claims.get("acr") == provider.trusted_acr


class SchoolAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow for one board's provider. Asked only by
    accounts.oidc_views with `school_account=`; for anything else it answers None."""

    NO_ACCESS = "no_access"

    def __init__(self, *args, **kwargs) -> None:
        # Nothing from global settings: the board's provider is set in `authenticate`.
        self.UserModel = get_user_model()
        self.provider: SchoolAccountProvider | None = None
        self.claims: dict = {}
        self.outcome = ""

    def configure(self, provider: SchoolAccountProvider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret()
        self.OIDC_RP_SIGN_ALGO = SIGN_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, school_account=None, **kwargs):
        if school_account is None or request is None:
            return None  # a password sign-in, or anything else: not ours
        self.configure(school_account)
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The signature, and the claims the library leaves unchecked."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError:
            raise SuspiciousOperation("The ID token is not a JWT.") from None
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is signed with another algorithm.")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=settings.MELDCODE_OIDC_LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(
                f"The ID token is refused ({type(error).__name__})."
            ) from None
        audience = claims["aud"]
        if (
            isinstance(audience, list)
            and len(audience) > 1
            and claims.get("azp") != self.OIDC_RP_CLIENT_ID
        ):
            raise SuspiciousOperation("The ID token is meant for another party too.")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is about someone else.")
        # The second factor only from the signed ID token, never from the userinfo.
        self.claims = {
            **userinfo,
            "amr": payload.get("amr"),
            "acr": payload.get("acr"),
            "auth_time": payload.get("auth_time"),
        }
        user = staff_matching(provider=self.provider, claims=self.claims)
        if user is None:
            self.outcome = self.NO_ACCESS
        return user

    def get_user(self, user_id):
        return self.UserModel.objects.filter(pk=user_id, is_active=True).first()


def school_account_login(
    request: HttpRequest, *, user: User, provider: SchoolAccountProvider, claims: dict
) -> bool:
    """Sign `user` in (a new session id); returns whether the provider's second factor
    counts, in which case the session is past the second factor as after Meldcode's own."""
    auth.login(request, user, backend=BACKEND)
    request.session[SIGNED_IN_WITH] = provider.board_id
    if not provider_factor_passed(provider=provider, claims=claims):
        return False
    otp_login(request, SchoolAccountFactor.of(user))
    factor_passed(request)
    return True


def signed_in_with(request: HttpRequest) -> SchoolAccountProvider | None:
    board_id = request.session.get(SIGNED_IN_WITH)
    return provider_for_board(board_id) if board_id is not None else None


def factor_from_provider(request: HttpRequest) -> bool:
    """This session's second factor is the school account's own."""
    device = getattr(request.user, "otp_device", None)
    return isinstance(device, SchoolAccountFactor)


def step_up_url(request: HttpRequest, next_url: str) -> str | None:
    """Where a session whose second factor was the provider's confirms it again."""
    provider = signed_in_with(request)
    if provider is None or not factor_from_provider(request):
        return None
    if has_confirmed_device(request.user):
        return None  # they hold Meldcode's own second factor too: that is asked
    query = urlencode({"bestuur": provider.board_id, "next": next_url, "opnieuw": "1"})
    return f"{reverse('school_account_start')}?{query}"


def sign_out_url(request: HttpRequest) -> str | None:
    """The provider's own sign-out (RP-initiated logout), where it has one."""
    provider = signed_in_with(request)
    if provider is None or not provider.end_session_endpoint:
        return None
    query = urlencode(
        {
            "client_id": provider.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{provider.end_session_endpoint}?{query}"


def sign_in_context(request: HttpRequest) -> dict:
    """What the sign-in page shows beside the password form."""
    return {
        "school_accounts": list(enabled_providers()),
        "school_account_sign_out": request.session.pop(SIGN_OUT_OFFER, None),
    }
