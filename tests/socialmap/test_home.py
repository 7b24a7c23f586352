import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone


@pytest.fixture
def stale(entry):
    entry.last_checked = timezone.localdate() - dt.timedelta(days=400)
    entry.save()
    return entry


def test_the_attention_officer_sees_entries_due_for_review(cast, client_for, stale):
    text = client_for(cast.af).get(reverse("home")).text
    assert "meer dan een jaar niet gecontroleerd" in text
    assert stale.get_absolute_url() in text


def test_directie_sees_the_review_warning_too(cast, client_for, stale):
    assert "meer dan een jaar niet gecontroleerd" in client_for(cast.directie).get("/").text


@pytest.mark.parametrize("role", ["leerkracht", "ib"])
def test_other_staff_see_the_social_map_but_no_review_warning(cast, client_for, stale, role):
    text = client_for(getattr(cast, role)).get(reverse("home")).text
    assert "Sociale kaart" in text
    assert "meer dan een jaar niet gecontroleerd" not in text


def test_no_warning_when_everything_was_checked_this_year(cast, client_for, entry):
    text = client_for(cast.af).get(reverse("home")).text
    assert "meer dan een jaar niet gecontroleerd" not in text


def test_the_warning_names_only_entries_of_the_own_school(cast, client_for, other_entry):
    other_entry.last_checked = dt.date(2000, 1, 1)
    other_entry.save()
    assert "Geheim Elders" not in client_for(cast.af).get(reverse("home")).text


def test_the_menu_links_to_the_social_map(cast, client_for):
    text = client_for(cast.leerkracht).get(reverse("home")).text
    assert f'href="{reverse("socialmap:list")}"' in text


@pytest.mark.parametrize(("days", "warned"), [(365, False), (366, True)])
def test_the_start_page_warns_on_the_same_day_as_the_review_list(
    cast, client_for, entry, days, warned
):
    """The panel picks the entries due itself (one query); it agrees with
    `due_for_review`, which the sociale kaart's own list uses, on the boundary day."""
    from socialmap.models import Organisation

    entry.last_checked = timezone.localdate() - dt.timedelta(days=days)
    entry.save()
    assert Organisation.objects.due_for_review().filter(pk=entry.pk).exists() is warned
    text = client_for(cast.af).get(reverse("home")).text
    assert ("meer dan een jaar niet gecontroleerd" in text) is warned
