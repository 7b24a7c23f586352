"""The admin lists and counts a case's records; it never searches or filters on what
they say, and every record opened in it is a logged read of the case."""

import pytest
from django.urls import reverse

from cases.models import AccessLog


@pytest.mark.parametrize(
    "lookup",
    [
        "description__startswith=Rode",
        "description__icontains=striemen",
        "description=Rode striemen op de linkerarm.",
        "place__startswith=S",
        "case__pupil__last_name__startswith=T",
        "author__username=leerkracht",
    ],
)
def test_a_lookup_on_content_is_refused(admin_client, observe, lookup):
    observe()
    response = admin_client.get(reverse("admin:cases_entry_changelist") + "?" + lookup)
    assert response.status_code == 400


def test_a_search_term_does_not_filter_on_content(admin_client, observe):
    observe()
    url = reverse("admin:cases_entry_changelist")
    hit = admin_client.get(url + "?q=striemen").context["cl"].result_count
    miss = admin_client.get(url + "?q=zzzzzz").context["cl"].result_count
    assert hit == miss == 1


def test_the_changelist_lists_and_counts_and_filters_on_kind(admin_client, observe):
    observe()
    response = admin_client.get(
        reverse("admin:cases_entry_changelist") + "?kind__exact=observation"
    )
    assert response.status_code == 200
    assert b"Rode striemen" not in response.content


def test_the_access_log_admin_refuses_lookups_on_who_read_what(admin_client, cast):
    url = reverse("admin:cases_accesslog_changelist")
    assert admin_client.get(url + "?username__startswith=l").status_code == 400
    assert admin_client.get(url + "?action__exact=view").status_code == 200


def test_opening_an_entry_in_the_admin_is_a_logged_read(admin_client, observe, admin_user):
    entry = observe()
    response = admin_client.get(reverse("admin:cases_entry_change", args=[entry.pk]))
    assert response.status_code == 200
    row = AccessLog.objects.order_by("-pk").first()
    assert (row.user, row.case_id, row.action) == (admin_user, entry.case_id, "admin")
