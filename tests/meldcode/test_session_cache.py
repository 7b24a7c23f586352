"""What every request asks of the signed-in person and that rarely changes (the schools
they work at, the device that passed their second factor) is kept in their session,
stamped with `User.access_version` (meldcode.session_cache): the empty page through every
middleware reads only the session and the user, and a role, school or device changed
elsewhere counts from the person's next request."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.second_factor import device_remove
from meldcode.models import Membership, Role
from meldcode.session_cache import access_changed
from tests.conftest import authenticator
from tests.factories import MembershipFactory, SchoolFactory

EMPTY = "/bench/empty/"  # the bench's view at a path the full application serves


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_the_empty_page_through_every_middleware_reads_the_session_and_the_user_only(
    cast, client_for, settings
):
    settings.ROOT_URLCONF = "bench.urls"
    client = client_for(cast.ib)
    # Before: the session, the user, the device and the schools on every request.
    response, queries = queries_of(client, EMPTY)
    assert response.status_code == 200 and queries == 2


def test_a_session_asks_for_the_schools_and_the_device_once(cast, client, settings):
    from tests.conftest import pass_second_factor

    settings.ROOT_URLCONF = "bench.urls"
    client.force_login(cast.ib)
    pass_second_factor(client, cast.ib)
    session = client.session
    del session["meldcode_access_cache"]  # as at the first request after sign-in
    session.save()
    # Both asked, and kept with one write of the session (3 queries in a test's transaction).
    assert queries_of(client, EMPTY)[1] == 4 + 3
    assert queries_of(client, EMPTY)[1] == 2


def test_a_role_removed_takes_effect_on_the_next_request(cast, client_for):
    second = MembershipFactory(user=cast.ib, school=cast.other_school, role=Role.IB)
    client = client_for(cast.ib)
    assert 'name="school"' in client.get(reverse("home")).text
    second.delete()
    assert 'name="school"' not in client.get(reverse("home")).text
    Membership.objects.get(user=cast.ib, school=cast.school).delete()
    page = client.get(reverse("home")).text
    assert "Je werkt in De Testboom" not in page


def test_a_role_added_and_a_school_renamed_take_effect_on_the_next_request(cast, client_for):
    client = client_for(cast.bestuur)
    assert "De Nieuwe School" not in client.get(reverse("home")).text
    SchoolFactory(board=cast.board, name="De Nieuwe School")
    assert "De Nieuwe School" in client.get(reverse("home")).text
    cast.school.name = "De Hernoemde School"
    cast.school.save()
    assert "De Hernoemde School" in client.get(reverse("home")).text


def test_a_device_removed_ends_the_second_factor_of_its_sessions(cast, client_for):
    client = client_for(cast.af)
    assert client.get(reverse("home")).status_code == 200
    device_remove(user=cast.af, device=authenticator(cast.af))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("otp_enrol") in response["Location"]


def test_what_one_user_keeps_is_never_used_for_another(cast, client_for):
    client = client_for(cast.leerkracht)
    client.get(reverse("home"))
    kept = client.session["meldcode_access_cache"]
    session = client_for(cast.other_leerkracht).session
    session["meldcode_access_cache"] = kept  # as if a session changed hands
    session.save()
    page = client.get(reverse("home")).text
    assert "De Andere School" in page and "Je werkt in De Testboom" not in page


def test_a_bulk_change_asks_again_once_its_version_is_raised(cast, client_for):
    client = client_for(cast.ib)
    client.get(reverse("home"))
    Membership.objects.filter(user=cast.ib).update(school=cast.other_school)  # no signal
    access_changed([cast.ib.pk])
    assert "Je werkt in De Andere School" in client.get(reverse("home")).text


def test_a_kept_device_is_of_its_own_class_and_reads_the_rest_when_asked(cast, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.oidc_models import SchoolAccountFactor
    from meldcode.session_cache import device_of

    factor = SchoolAccountFactor.of(cast.ib)
    request = rf.get("/")
    request.session = SessionStore()
    assert device_of(request, cast.ib, factor.persistent_id) == factor
    with CaptureQueriesContext(connection) as queries:
        kept = device_of(request, cast.ib, factor.persistent_id)
    assert len(queries) == 0
    assert isinstance(kept, SchoolAccountFactor) and kept.confirmed
    assert kept.user_id == cast.ib.pk and kept.name == "school account"  # read when asked
