"""Who has access to a school: every change of a role is kept, shown to the directie and
mailed to them without names. The bewaartermijn is shown to and set by the directie."""

from django.urls import reverse

from meldcode.models import Membership, Role, School
from tests.factories import UserFactory, member


def test_a_new_role_is_mailed_to_the_directie_without_names(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = member(cast.school, Role.AANDACHTSFUNCTIONARIS, username="nieuwkomer")
    mails = [mail for mail in mailoutbox if cast.directie.email in mail.to]
    assert len(mails) == 1
    body = mails[0].subject + mails[0].body
    assert reverse("school_access") in body
    assert newcomer.username not in body and newcomer.last_name not in body


def test_a_removed_role_is_mailed_too(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=cast.leerkracht_b).delete()
    assert any(cast.directie.email in mail.to for mail in mailoutbox)


def test_the_directie_sees_who_since_when_and_given_by_whom(cast, client_for, admin_user):
    admin = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    membership = Membership(user=UserFactory(username="stiekem"), school=cast.school, role="ib")
    membership._history_user = admin
    membership.save()
    page = client_for(cast.directie).get(reverse("school_access")).content.decode()
    assert "stiekem" in page or membership.user.get_full_name() in page
    assert "beheerder" in page or admin.get_full_name() in page


def test_only_the_directie_sees_the_access_page(cast, client_for):
    assert client_for(cast.af).get(reverse("school_access")).status_code == 403
    assert client_for(cast.directie).get(reverse("school_access")).status_code == 200


def test_the_directie_sets_the_retention_term_with_history(cast, client_for):
    client = client_for(cast.directie)
    page = client.get(reverse("retention")).content.decode()
    assert 'value="2"' in page
    response = client.post(
        reverse("retention"), {"retention_years": "5", "retention_from": "case_closed"}
    )
    assert response.status_code == 302
    school = School.objects.get(pk=cast.school.pk)
    assert (school.retention_years, school.retention_from) == (5, "case_closed")
    assert school.history.first().history_user == cast.directie


def test_a_term_out_of_range_is_refused_at_the_field(cast, client_for):
    response = client_for(cast.directie).post(
        reverse("retention"), {"retention_years": "0", "retention_from": "pupil_left"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["retention_years"]
    assert School.objects.get(pk=cast.school.pk).retention_years == 2
