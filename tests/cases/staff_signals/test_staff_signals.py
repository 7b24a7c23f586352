"""Signals about a staff member: the route does not apply. Anyone at the school may file
one; only the board and the directie read it; the colleague it names never sees it, nor
learns that it exists; what was done is kept as append-only rows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.append_only import AppendOnlyError
from cases.models import StaffSignal, StaffSignalAction
from cases.staff_signals.services import staff_signal_file, staff_signal_record_action
from meldcode.models import Role
from tests.factories import BoardFactory, SchoolFactory, member


@pytest.fixture
def signal(cast):
    return staff_signal_file(
        school=cast.school,
        concerns=cast.leerkracht_b,
        description="Harde greep in de arm van een leerling bij de gymzaal.",
        by=cast.leerkracht,
    )


READS = {
    "leerkracht": 404,  # the filer hands it over and does not follow it
    "leerkracht_b": 404,  # the colleague it names
    "ib": 404,
    "af": 404,
    "directie": 200,
    "other_leerkracht": 404,
    "bestuur": 200,
    "outsider": 404,
}


@pytest.mark.parametrize(("who", "status"), READS.items())
def test_only_the_board_and_the_directie_read_a_signal(cast, signal, client_for, who, status):
    response = client_for(getattr(cast, who)).get(signal.get_absolute_url())
    assert response.status_code == status


def test_a_visitor_is_sent_to_the_login_page(signal, client):
    response = client.get(signal.get_absolute_url())
    assert response["Location"].startswith(reverse("login"))


def test_a_signal_about_the_directie_reaches_only_the_board(cast, client_for):
    signal = staff_signal_file(
        school=cast.school, concerns=cast.directie, description="Zorg.", by=cast.ib
    )
    assert client_for(cast.directie).get(signal.get_absolute_url()).status_code == 404
    assert client_for(cast.bestuur).get(signal.get_absolute_url()).status_code == 200
    assert list(StaffSignal.visible_to(cast.directie)) == []


def test_the_colleague_concerned_cannot_learn_it_exists(cast, client_for):
    signal = staff_signal_file(
        school=cast.school, concerns=cast.directie, description="Zorg.", by=cast.ib
    )
    client = client_for(cast.directie)
    listing = client.get(reverse("cases:staff_signal_list"))
    assert signal.get_absolute_url() not in listing.text
    home = client.get(reverse("home"))
    assert "0 signalen" in home.text


def test_the_board_of_another_board_does_not_read_it(cast, signal, client_for):
    stranger = member(None, Role.BESTUUR, username="ander_bestuur", board=BoardFactory())
    assert client_for(stranger).get(signal.get_absolute_url()).status_code == 404


def test_the_directie_of_another_school_does_not_read_it(cast, signal, client_for):
    elsewhere = member(cast.other_school, Role.DIRECTIE, username="andere_directie")
    assert client_for(elsewhere).get(signal.get_absolute_url()).status_code == 404


def test_the_filer_sees_a_confirmation_without_a_link_to_the_signal(cast, client_for):
    response = client_for(cast.leerkracht).post(
        reverse("cases:staff_signal_new"),
        {"concerns": cast.ib.pk, "description": "Ik zag iets wat niet klopt."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("cases:staff_signal_filed")
    signal = StaffSignal.objects.get()
    assert signal.get_absolute_url() not in response.text
    assert signal.filed_by == cast.leerkracht


def test_the_form_does_not_offer_yourself_or_strangers(cast, client_for):
    form = client_for(cast.leerkracht).get(reverse("cases:staff_signal_new")).context["form"]
    people = set(form.fields["concerns"].queryset)
    assert cast.leerkracht not in people
    assert cast.other_leerkracht not in people
    assert {cast.leerkracht_b, cast.ib, cast.af, cast.directie} <= people


def test_a_signal_about_yourself_or_a_stranger_is_refused(cast):
    with pytest.raises(ValidationError):
        staff_signal_file(school=cast.school, concerns=cast.ib, description="x", by=cast.ib)
    with pytest.raises(ValidationError):
        staff_signal_file(
            school=cast.school, concerns=cast.other_leerkracht, description="x", by=cast.ib
        )


def test_someone_outside_the_school_cannot_file_one(cast):
    with pytest.raises(PermissionDenied):
        staff_signal_file(school=cast.school, concerns=cast.ib, description="x", by=cast.bestuur)


def test_the_board_records_what_was_done_as_rows_that_are_never_changed(cast, signal, client_for):
    client = client_for(cast.bestuur)
    url = reverse("cases:staff_signal_action", args=[signal.pk])
    client.post(url, {"kind": "talk", "note": "Gesprek met de collega gevoerd."})
    client.post(url, {"kind": "aangifte", "note": "Aangifte overwogen met de jurist."})
    assert list(signal.actions.values_list("kind", flat=True)) == ["talk", "aangifte"]
    action = StaffSignalAction.objects.first()
    with pytest.raises(AppendOnlyError):
        action.save()
    with pytest.raises(AppendOnlyError):
        action.delete()


def test_the_colleague_concerned_cannot_record_an_action(cast, signal, client_for):
    response = client_for(cast.leerkracht_b).post(
        reverse("cases:staff_signal_action", args=[signal.pk]), {"kind": "talk", "note": "x"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        staff_signal_record_action(signal=signal, kind="talk", note="x", by=cast.leerkracht_b)


def test_the_list_is_for_board_and_directie_only(cast, signal, client_for):
    assert client_for(cast.leerkracht).get(reverse("cases:staff_signal_list")).status_code == 403
    response = client_for(cast.directie).get(reverse("cases:staff_signal_list"))
    assert signal.get_absolute_url() in response.text


def test_the_readers_are_mailed_without_content(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_signal_file(
            school=cast.school, concerns=cast.directie, description="Greep.", by=cast.ib
        )
    assert [m.to for m in mailoutbox] == [[cast.bestuur.email]]
    assert "Greep" not in mailoutbox[0].body


def test_a_school_of_another_board_is_not_read_by_this_board(cast, client_for):
    far = SchoolFactory(board=BoardFactory())
    teacher = member(far, Role.LEERKRACHT, username="ver_weg")
    colleague = member(far, Role.IB, username="ver_weg_ib")
    signal = staff_signal_file(school=far, concerns=colleague, description="x", by=teacher)
    assert client_for(cast.bestuur).get(signal.get_absolute_url()).status_code == 404


def test_the_board_records_the_vertrouwensinspecteur_and_the_aangifte_with_dates(
    cast, signal, client_for
):
    """Since issue 25 the consultation records its outcome, and aangifte follows only
    after the vertrouwensinspecteur's "yes" and after the parents and the person
    concerned were informed (WPO art. 4a); before, aangifte could be recorded at once."""
    import datetime as dt

    from django.utils import timezone

    from cases.staff_signals.services import staff_signal_duties

    client = client_for(cast.bestuur)
    url = reverse("cases:staff_signal_action", args=[signal.pk])
    today = timezone.localdate()
    before = staff_signal_duties(signal)
    assert (before.consultation, before.aangifte) == (None, None)
    client.post(
        url,
        {"kind": "inspector", "suspicion": "yes", "note": "Gebeld.", "occurred_on": today},
    )
    client.post(url, {"kind": "parents_informed", "note": "Ouders gebeld.", "occurred_on": today})
    client.post(url, {"kind": "person_informed", "note": "Gesprek.", "occurred_on": today})
    client.post(url, {"kind": "aangifte_filed", "note": "Bij politie.", "occurred_on": today})
    duties = staff_signal_duties(signal)
    assert duties.consultation.occurred_on == today
    assert duties.suspected == duties.consultation
    assert duties.aangifte.occurred_on == today
    page = client.get(signal.get_absolute_url()).content.decode()
    assert 'data-testid="duties"' in page
    future = today + dt.timedelta(days=2)
    response = client.post(url, {"kind": "other", "note": "Later.", "occurred_on": future})
    assert response.status_code == 200
    assert signal.actions.count() == 4
