"""Fixtures of the school-account sign-in: the real test provider (tests/accounts/
oidc_provider.py) and the cast's board set up to sign in with it."""

import pytest

from tests.accounts.oidc_provider import MFA_USER, PWD_USER, SECRET, Provider, require_node


@pytest.fixture(scope="session")
def oidc_issuer():
    """The issuer of a running test provider, for the whole test session."""
    require_node()
    provider = Provider()
    yield provider.issuer
    provider.stop()


@pytest.fixture
def another_issuer():
    """A second provider, a different issuer with the same clients and users."""
    require_node()
    provider = Provider()
    yield provider.issuer
    provider.stop()


def school_account_for(board, issuer: str, **fields):
    from accounts.oidc import provider_discover
    from accounts.oidc_models import SchoolAccountProvider

    provider = SchoolAccountProvider(
        board=board,
        issuer=issuer,
        client_id=fields.pop("client_id", "meldcode"),
        email_domains=fields.pop("email_domains", "testboom.example"),
        trust_provider_factor=fields.pop("trust_provider_factor", True),
        **fields,
    )
    provider.secret_set(SECRET)
    provider_discover(provider=provider)
    provider.save()
    return provider


@pytest.fixture
def school_account(cast, oidc_issuer):
    """The cast's board signs in with the test provider and trusts its second factor;
    the aandachtsfunctionaris is its user with "mfa", the IB'er its user without."""
    cast.af.email = MFA_USER
    cast.af.save()
    cast.ib.email = PWD_USER
    cast.ib.save()
    return school_account_for(cast.board, oidc_issuer)
