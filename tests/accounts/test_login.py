"""Login by e-mail, throttling, password reset through the outbox."""

import re

import pytest

from kotoverkko.accounts.models import LoginFailure
from kotoverkko.mailing.models import OutboxMessage
from tests.factories import NetworkFactory, person_with_login

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password(client):
    person = person_with_login(email="aino@example.fi")
    response = client.post(
        "/fi/accounts/login/", {"email": "AINO@example.fi", "password": "salasana-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/fi/my/"
    assert client.get("/fi/my/").context["person"] == person


def test_wrong_password_is_a_400_with_a_message(client):
    person_with_login(email="aino@example.fi")
    response = client.post("/en/accounts/login/", {"email": "aino@example.fi", "password": "wrong"})
    assert response.status_code == 400
    assert "incorrect" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    person_with_login(email="aino@example.fi")
    for _ in range(3):
        client.post("/en/accounts/login/", {"email": "aino@example.fi", "password": "nope"})
    # even the right password is refused while throttled
    response = client.post(
        "/en/accounts/login/", {"email": "aino@example.fi", "password": "salasana-123"}
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert LoginFailure.objects.filter(email="aino@example.fi").count() == 3


def test_successful_login_clears_earlier_failures(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    person_with_login(email="aino@example.fi")
    client.post("/en/accounts/login/", {"email": "aino@example.fi", "password": "nope"})
    client.post("/en/accounts/login/", {"email": "aino@example.fi", "password": "salasana-123"})
    assert not LoginFailure.objects.filter(email="aino@example.fi").exists()


def test_login_does_not_redirect_to_another_site(client):
    person_with_login(email="aino@example.fi")
    response = client.post(
        "/fi/accounts/login/",
        {"email": "aino@example.fi", "password": "salasana-123", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/fi/my/"


def test_password_reset_goes_through_the_outbox_in_the_users_language(client):
    person_with_login(email="erik@example.fi", language="sv")
    response = client.post("/fi/accounts/password-reset/", {"email": "erik@example.fi"})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(to_email="erik@example.fi")
    assert message.language == "sv"
    link = re.search(r"http://\S+/sv/accounts/reset/\S+/", message.body_text)
    assert link, message.body_text
    path = link.group(0).split("8000", 1)[-1] if "8000" in link.group(0) else link.group(0)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "uusi-Salasana-2026", "new_password2": "uusi-Salasana-2026"},
    )
    assert response.status_code == 302
    assert client.login(username="erik@example.fi", password="uusi-Salasana-2026")


def test_password_reset_for_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post("/fi/accounts/password-reset/", {"email": "nobody@example.fi"})
    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()


def test_logout_is_post_only(client):
    person = person_with_login()
    NetworkFactory()
    client.force_login(person.user)
    assert client.get("/fi/accounts/logout/").status_code == 405
    assert client.post("/fi/accounts/logout/").status_code == 302
