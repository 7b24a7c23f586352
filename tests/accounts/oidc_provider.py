"""A real OpenID provider for the tests, not a mock: tests/oidc_provider/provider.mjs runs
the npm package `oidc-provider` (its version pinned in tests/oidc_provider/package-lock.json)
with Node.js on 127.0.0.1. Its test users and clients are listed at the top of that script.

Without Node.js or without the npm packages the tests that need it are skipped with a
message that says how to install them; with MELDCODE_REQUIRE_BROWSER=1 (as .ci/run sets)
that is a failure instead.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import select
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests

FOLDER = Path(__file__).resolve().parent.parent / "oidc_provider"
PASSWORD = "provider-test-password"
SECRET = "meldcode-test-secret"
MFA_USER = "a.mfa@testboom.example"
PWD_USER = "b.pwd@testboom.example"
UNKNOWN_USER = "c.onbekend@testboom.example"
UNVERIFIED_USER = "d.niet-bevestigd@elders.example"
CALLBACK = "/inloggen/schoolaccount/terug/"
HOW = (
    "install Node.js ('sudo apt-get install nodejs npm') and the test provider "
    "('cd tests/oidc_provider && npm ci') to run the school-account tests"
)


def missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js not found"
    if not (FOLDER / "node_modules" / "oidc-provider" / "package.json").exists():
        return "the npm package oidc-provider is not installed in tests/oidc_provider"
    return None


def require_node() -> None:
    reason = missing()
    if reason is None:
        return
    message = f"{reason}: {HOW}."
    if os.environ.get("MELDCODE_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " MELDCODE_REQUIRE_BROWSER=1 makes this fatal.", pytrace=False)
    pytest.skip(message)


class Provider:
    """One running provider process; `issuer` is its address."""

    def __init__(self) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (open while the process runs)
        self.process = subprocess.Popen(
            ["node", "provider.mjs"],
            cwd=FOLDER,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env={**os.environ, "PORT": "0"},
        )
        ready, _w, _x = select.select([self.process.stdout], [], [], 20)
        line = self.process.stdout.readline() if ready else b""
        if not line:
            self.stop()
            self.log.seek(0)
            raise RuntimeError(f"The test provider did not start: {self.log.read()[-2000:]!r}")
        self.issuer = json.loads(line)["issuer"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "form" and not self.action:
            self.action = dict(attrs).get("action", "")


def through_provider(authorize_url: str, email: str, *, session=None) -> str:
    """Sign in as `email` at the provider, as a person would, from the authorization
    request to the redirect back to Meldcode; returns that redirect's URL (not followed)."""
    session = session or requests.Session()
    url, method, data = authorize_url, "get", None
    for _hop in range(10):
        response = session.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            target = urljoin(url, response.headers["Location"])
            if urlsplit(target).path == CALLBACK:
                return target
            url, method, data = target, "get", None
            continue
        assert response.status_code == 200, (response.status_code, response.text[:500])
        form = _Form()
        form.feed(response.text)
        assert form.action, response.text[:500]
        url, method = urljoin(url, form.action), "post"
        data = {"login": email, "password": PASSWORD}
    raise AssertionError("The provider never sent the browser back")


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def tokens_for(issuer: str, email: str, *, client_id: str = "meldcode", nonce: str) -> dict:
    """The token response for `email`, got by the code flow straight from the provider
    (for the tests of the backend's checks)."""
    document = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    verifier, challenge = pkce_pair()
    redirect_uri = f"http://127.0.0.1{CALLBACK}"
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid email profile",
            "state": "test-state",
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    back = through_provider(f"{document['authorization_endpoint']}?{query}", email)
    code = parse_qs(urlsplit(back).query)["code"][0]
    response = requests.post(
        document["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def with_param(url: str, name: str, value: str) -> str:
    return re.sub(rf"([?&]{name}=)[^&]*", lambda m: m.group(1) + value, url)
