from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse


def test_password_reset_mails_a_link_and_the_new_password_works(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    cast.ib.email = "ib@example.invalid"
    cast.ib.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "ib@example.invalid"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "Nieuw wachtwoord voor Meldcode"
    link = next(line for line in mail.body.splitlines() if "/wachtwoord/nieuw/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new = "een-Nieuw-wachtwoord-2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    # axes needs the request to count the attempt; the new password works.
    assert authenticate(RequestFactory().post("/inloggen/"), username="ib", password=new)


def test_unknown_address_gets_the_same_answer_and_no_mail(cast, client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "niemand@example.invalid"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_wrong_password_gets_a_dutch_message(cast, client):
    response = client.post(reverse("login"), {"username": "ib", "password": "fout"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.text


def test_after_five_failures_even_the_right_password_waits(cast, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "ib", "password": "fout"})
    response = client.post(
        reverse("login"), {"username": "IB", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429  # Too Many Requests
    assert "Te veel mislukte pogingen" in response.text


def test_a_successful_sign_in_before_the_limit_is_not_hindered(cast, client):
    for _ in range(4):
        client.post(reverse("login"), {"username": "ib", "password": "fout"})
    response = client.post(
        reverse("login"), {"username": "ib", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
