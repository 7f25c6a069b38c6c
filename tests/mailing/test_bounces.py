"""Incoming bounces and mailto unsubscribes: real-world DSN samples, our own VERP bounces end to
end, suppression after repeated hard bounces, the mail_receive command and the HTTP endpoint."""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kotoverkko.mailing import bounces, subscriptions
from kotoverkko.mailing.batches import batch_create
from kotoverkko.mailing.bounces import bounce_process, mail_inbound
from kotoverkko.mailing.models import (
    Bounce,
    ConsentRecord,
    OutboxMessage,
    Subscriber,
    Subscription,
)
from kotoverkko.mailing.services import outbox_deliver
from kotoverkko.mailing.tokens import unsubscribe_token
from tests.factories import NetworkFactory
from tests.mailing.factories import MailingListFactory, subscribed

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "data" / "dsn"
HARD, SOFT = Bounce.Kind.HARD, Bounce.Kind.SOFT
INBOUND_TOKEN = "s3cret-inbound-token"


@pytest.fixture(autouse=True)
def _addresses(settings):
    settings.SITE_URL = "https://kotoverkko.example"
    settings.MAIL_DOMAIN = "lists.kotoverkko.example"
    settings.MAIL_HARD_BOUNCE_LIMIT = 2


@pytest.fixture
def mailing_list():
    return MailingListFactory(network=NetworkFactory(name_fi="Lapin MAKO-verkosto"))


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def sent_copy(mailing_list, smtp_server, subscriber, key_prefix="bulletin:1"):
    """Send one list message to `subscriber`; returns the outbox row and what the server got."""
    batch_create(
        title="Tiedote",
        mailing_list=mailing_list,
        language="fi",
        subject="Syyskuun tiedote",
        body_text="Peru tilaus: %%unsubscribe_url%%",
        body_html="",
        recipients=[subscriber],
        key_prefix=key_prefix,
    )
    before = len(smtp_server.received)
    outbox_deliver()
    received = smtp_server.received[before]
    return OutboxMessage.objects.get(key=f"{key_prefix}:{subscriber.pk}"), received


def dsn(
    *,
    to: str,
    recipient: str,
    action: str = "failed",
    status: str = "5.1.1",
    returned: str = "",
    extra_headers: str = "",
) -> bytes:
    """A delivery status notification (RFC 3464) as a receiving mail server writes one."""
    diagnostic = "550 5.1.1 User unknown" if status.startswith("5") else "452 4.2.2 Over quota"
    text = (
        "Return-Path: <>\n"
        f"{extra_headers}"
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
        f"To: {to}\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Date: Mon, 01 Sep 2025 09:00:05 +0300\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status;\n"
        ' boundary="XYZ"\n'
        "\n"
        "--XYZ\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "\n"
        "Your message could not be delivered.\n"
        "\n"
        "--XYZ\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.example.net\n"
        "\n"
        f"Final-Recipient: rfc822; {recipient}\n"
        f"Action: {action}\n"
        f"Status: {status}\n"
        f"Diagnostic-Code: smtp; {diagnostic}\n"
        "\n"
        "--XYZ\n"
        "Content-Type: text/rfc822-headers\n"
        "\n"
        f"{returned}"
        "\n"
        "--XYZ--\n"
    )
    return text.encode("ascii")


def returned_headers(received) -> str:
    """The copy of our headers that a bounce carries back."""
    head = received.raw.split(b"\r\n\r\n", 1)[0].decode("ascii").replace("\r\n", "\n")
    return f"Return-Path: <{received.mail_from}>\n{head}\n"


# Real-world samples ------------------------------------------------------------------------


def test_every_sample_is_processed_without_error():
    # given
    files = sorted(SAMPLES.glob("*.txt"))
    assert len(files) == 117

    # when
    results = {path.name: bounce_process(path.read_bytes()) for path in files}

    # then none is tied to a message of ours, and each found bounce has an address and kind
    found = [bounce for result in results.values() for bounce in result]
    assert len(found) > 100
    assert all(bounce.message_id is None for bounce in found)
    assert all("@" in bounce.email and bounce.kind in (HARD, SOFT) for bounce in found)
    assert Bounce.objects.count() == len(found)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # RFC 3464 reports: "Action: failed" with the Original-Recipient
        ("dsn_01.txt", {("userx@example.com", HARD)}),
        # "Action: delayed": the server keeps trying
        ("dsn_05.txt", {("userx@example.cz", SOFT)}),
        ("dsn_17.txt", {("userx@example.fi", SOFT)}),
        # Postfix's plain-text notice: 550 5.1.1 User unknown
        ("postfix_01.txt", {("xxxxx@local.ie", HARD)}),
        # qmail: "<userx@example.de>:" and the remote server's refusal
        ("qmail_01.txt", {("userx@example.de", HARD)}),
        # Yahoo's relay: 550 5.1.1 Recipient address rejected
        ("yahoo_11.txt", {("bad_user@aol.com", HARD)}),
        # sendmail, an alias expanded to a second address, too many hops
        ("sendmail_01.txt", {("zzzzz@nfg.nl", HARD), ("zzzzz@shaft.coal.nl", HARD)}),
        # a virus scanner that will go on trying for five days
        ("simple_22.txt", {("user@example.org", SOFT)}),
    ],
)
def test_hand_checked_samples_give_the_address_and_kind(name, expected):
    # when
    found = bounce_process(sample(name))

    # then
    assert {(bounce.email, bounce.kind) for bounce in found} == expected


@pytest.mark.parametrize(
    "name",
    [
        "groupwise_03.txt",  # an ordinary reply from Outlook, not a bounce at all
        "dumbass_01.txt",  # a virus-wall notice that names no recipient
    ],
)
def test_mail_that_reports_no_failed_recipient_is_not_a_bounce(name):
    # when
    result = mail_inbound(sample(name))

    # then
    assert result.kind == "ignored"
    assert not Bounce.objects.exists()


def test_a_bounce_not_tied_to_our_mail_is_recorded_but_not_counted(mailing_list):
    # given a subscriber whose address appears in someone else's bounce
    subscriber = subscribed(mailing_list, email="userx@example.com")

    # when
    (bounce,) = bounce_process(sample("dsn_01.txt"))

    # then
    assert bounce.subscriber == subscriber
    assert bounce.message is None
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 0
    assert subscriber.suppressed_at is None


# Our own messages, end to end ----------------------------------------------------------------


def test_hard_bounce_to_the_return_path_is_tied_to_the_message(mailing_list, smtp_server):
    # given
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    message, received = sent_copy(mailing_list, smtp_server, subscriber)

    # when the receiving server bounces it to the return path it got
    result = mail_inbound(
        dsn(to=received.mail_from, recipient="aino@example.fi"),
        envelope_to=received.mail_from,
    )

    # then
    assert result.kind == "bounce"
    (bounce,) = result.bounces
    assert (bounce.message, bounce.subscriber, bounce.kind) == (message, subscriber, HARD)
    assert bounce.email == "aino@example.fi"
    assert "Status: 5.1.1" in bounce.diagnostic
    assert "550 5.1.1 User unknown" in bounce.diagnostic
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 1
    assert subscriber.suppressed_at is None


def test_address_is_suppressed_after_the_limit_of_hard_bounces(mailing_list, smtp_server):
    # given two messages to the same address, each bounced
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    consents_before = ConsentRecord.objects.count()
    for number in (1, 2):
        _message, received = sent_copy(
            mailing_list, smtp_server, subscriber, key_prefix=f"bulletin:{number}"
        )
        # when
        mail_inbound(dsn(to=received.mail_from, recipient="aino@example.fi"))

    # then
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 2
    assert subscriber.suppressed_at is not None
    assert subscriber.suppression_reason == Subscriber.Suppression.BOUNCES
    assert not subscriber.is_reachable
    assert ConsentRecord.objects.count() == consents_before
    # and the next sending leaves the address out
    assert subscriber not in subscriptions.list_recipients(mailing_list)


def test_suppressed_address_in_a_sending_already_created_is_skipped(mailing_list, smtp_server):
    # given a sending created before the address bounced for the second time
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    for number in (1, 2):
        _message, received = sent_copy(
            mailing_list, smtp_server, subscriber, key_prefix=f"bulletin:{number}"
        )
        if number == 1:
            mail_inbound(dsn(to=received.mail_from, recipient="aino@example.fi"))
    batch_create(
        title="Lokakuu",
        mailing_list=mailing_list,
        language="fi",
        subject="Lokakuun tiedote",
        body_text="Hei",
        body_html="",
        recipients=[subscriber],
        key_prefix="bulletin:3",
    )

    # when
    mail_inbound(dsn(to=received.mail_from, recipient="aino@example.fi"))
    counts = outbox_deliver()

    # then
    assert counts["skipped"] == 1
    assert OutboxMessage.objects.get(key=f"bulletin:3:{subscriber.pk}").status == "skipped"


def test_the_same_notification_twice_counts_once(mailing_list, smtp_server):
    # given
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    _message, received = sent_copy(mailing_list, smtp_server, subscriber)
    notification = dsn(to=received.mail_from, recipient="aino@example.fi")

    # when
    first = mail_inbound(notification)
    second = mail_inbound(notification)

    # then
    assert first.bounces == second.bounces
    assert Bounce.objects.count() == 1
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 1


def test_temporary_failure_is_recorded_and_not_counted(mailing_list, smtp_server):
    # given
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    message, received = sent_copy(mailing_list, smtp_server, subscriber)

    # when
    result = mail_inbound(
        dsn(to=received.mail_from, recipient="aino@example.fi", action="delayed", status="4.2.2")
    )

    # then
    (bounce,) = result.bounces
    assert (bounce.kind, bounce.message) == (SOFT, message)
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 0


def test_bounce_is_found_from_our_returned_headers_when_the_address_was_rewritten(
    mailing_list, smtp_server
):
    # given a notification sent to a rewritten address (a forwarder), with our headers back
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    message, received = sent_copy(mailing_list, smtp_server, subscriber)
    notification = dsn(
        to="postmaster@lists.kotoverkko.example",
        recipient="aino.korhonen@forwarded.example",
        returned=returned_headers(received),
    )

    # when
    (bounce,) = bounce_process(notification)

    # then the bounce counts for the address we sent to, and names the reported one
    assert (bounce.message, bounce.email, bounce.kind) == (message, "aino@example.fi", HARD)
    assert "aino.korhonen@forwarded.example" in bounce.diagnostic
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 1


def test_message_id_alone_ties_a_bounce_to_our_message(mailing_list, smtp_server):
    # given returned headers without the return path
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    message, received = sent_copy(mailing_list, smtp_server, subscriber)
    notification = dsn(
        to="postmaster@lists.kotoverkko.example",
        recipient="aino@example.fi",
        returned=f"Message-ID: {received.message['Message-ID']}\nSubject: Syyskuun tiedote\n",
    )

    # when
    (bounce,) = bounce_process(notification)

    # then
    assert bounce.message == message


def test_forged_return_path_counts_for_nothing(mailing_list, smtp_server):
    # given a signed-looking return path whose signature is wrong
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    message, received = sent_copy(mailing_list, smtp_server, subscriber)
    forged = f"bounce+{message.pk}.{'0' * 24}@lists.kotoverkko.example"

    # when
    (bounce,) = bounce_process(dsn(to=forged, recipient="aino@example.fi"), envelope_to=forged)

    # then
    assert bounce.message is None
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 0


def test_out_of_office_reply_to_the_return_path_is_not_a_bounce(mailing_list, smtp_server):
    # given
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    _message, received = sent_copy(mailing_list, smtp_server, subscriber)
    reply = (
        f"From: Aino Korhonen <aino@example.fi>\nTo: {received.mail_from}\n"
        "Subject: Automaattinen vastaus: Syyskuun tiedote\n"
        f"In-Reply-To: {received.message['Message-ID']}\n"
        "Auto-Submitted: auto-replied\n\nOlen lomalla 15.9. asti.\n"
    ).encode()

    # when
    result = mail_inbound(reply, envelope_to=received.mail_from)

    # then
    assert result.kind == "ignored"
    assert not Bounce.objects.exists()


# Unsubscribing by mail -----------------------------------------------------------------------


def unsubscribe_mail(to: str) -> bytes:
    return (
        f"From: aino@example.fi\nTo: {to}\nSubject: unsubscribe\n\nPlease remove me.\n"
    ).encode()


def test_mail_to_the_unsubscribe_address_leaves_the_list(mailing_list):
    # given
    subscriber = subscribed(mailing_list)
    address = f"unsubscribe+{unsubscribe_token(subscriber.pk, mailing_list.pk)}@lists.example"

    # when
    first = mail_inbound(unsubscribe_mail(address))
    second = mail_inbound(unsubscribe_mail(address), envelope_to=address)

    # then
    assert (first.kind, first.unsubscribed) == ("unsubscribe", True)
    assert (second.kind, second.unsubscribed) == ("unsubscribe", False)
    subscription = Subscription.objects.get(subscriber=subscriber, mailing_list=mailing_list)
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    withdrawal = ConsentRecord.objects.filter(
        subscriber=subscriber, action=ConsentRecord.Action.WITHDRAWN
    ).get()
    assert withdrawal.basis == ConsentRecord.Basis.ONE_CLICK


def test_unsubscribe_address_with_a_forged_token_changes_nothing(mailing_list):
    # given
    subscriber = subscribed(mailing_list)
    forged = f"unsubscribe+{subscriber.pk}.{mailing_list.pk}.{'a' * 24}@lists.example"

    # when
    result = mail_inbound(unsubscribe_mail(forged), envelope_to=forged)

    # then
    assert result.kind == "ignored"
    subscription = Subscription.objects.get(subscriber=subscriber)
    assert subscription.status == Subscription.Status.ACTIVE


def test_bounce_that_carries_our_list_unsubscribe_header_does_not_unsubscribe(
    mailing_list, smtp_server
):
    # given a bounce whose returned headers include List-Unsubscribe with the mailto address
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    _message, received = sent_copy(mailing_list, smtp_server, subscriber)
    assert "unsubscribe+" in returned_headers(received)

    # when
    result = mail_inbound(
        dsn(to=received.mail_from, recipient="aino@example.fi", returned=returned_headers(received))
    )

    # then
    assert result.kind == "bounce"
    assert Subscription.objects.get(subscriber=subscriber).status == Subscription.Status.ACTIVE


# The command and the endpoint ------------------------------------------------------------------


def test_mail_receive_reads_a_bounce_from_standard_input(mailing_list, smtp_server, monkeypatch):
    # given
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    _message, received = sent_copy(mailing_list, smtp_server, subscriber)
    notification = dsn(to="bounces@lists.kotoverkko.example", recipient="aino@example.fi")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(notification)))
    out = io.StringIO()

    # when
    call_command("mail_receive", "--envelope-to", received.mail_from, stdout=out)

    # then
    assert out.getvalue().strip() == "hard bounce: aino@example.fi"
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 1


def test_mail_receive_reads_a_file_and_ignores_what_is_not_a_bounce(tmp_path):
    # given
    path = tmp_path / "message.eml"
    path.write_bytes(sample("groupwise_03.txt"))
    out = io.StringIO()

    # when
    call_command("mail_receive", "--file", str(path), stdout=out)

    # then
    assert out.getvalue().strip() == "not a bounce; ignored"


def test_mail_receive_drops_a_message_too_large_to_be_a_bounce(tmp_path, monkeypatch):
    # given
    monkeypatch.setattr(bounces, "MAX_MESSAGE_BYTES", 1000)
    path = tmp_path / "large.eml"
    path.write_bytes(sample("dsn_01.txt"))
    err = io.StringIO()

    # when
    call_command("mail_receive", "--file", str(path), stderr=err)

    # then
    assert "too large" in err.getvalue()
    assert not Bounce.objects.exists()


@pytest.fixture
def inbound(settings):
    settings.MAIL_INBOUND_TOKEN = INBOUND_TOKEN
    return Client(enforce_csrf_checks=True)


def post(client, body: bytes, token: str | None = INBOUND_TOKEN, **query):
    url = reverse("mailing_inbound:bounce")
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(url, body, content_type="message/rfc822", headers=headers)


def test_endpoint_does_not_exist_without_a_token(client, settings):
    # given
    settings.MAIL_INBOUND_TOKEN = ""

    # when
    response = post(client, sample("dsn_01.txt"), token="anything")

    # then
    assert response.status_code == 404


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_endpoint_refuses_a_missing_or_wrong_token(inbound, token):
    # when
    response = post(inbound, sample("dsn_01.txt"), token=token)

    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Bounce.objects.exists()


def test_endpoint_takes_only_post(inbound):
    # when
    response = inbound.get(
        reverse("mailing_inbound:bounce"),
        headers={"Authorization": f"Bearer {INBOUND_TOKEN}"},
    )

    # then
    assert response.status_code == 405


def test_endpoint_refuses_an_empty_or_too_large_body(inbound, monkeypatch):
    # given
    monkeypatch.setattr(bounces, "MAX_MESSAGE_BYTES", 1000)

    # when
    empty = post(inbound, b"")
    large = post(inbound, sample("dsn_01.txt"))

    # then
    assert empty.status_code == 400
    assert large.status_code == 413
    assert not Bounce.objects.exists()


def test_endpoint_records_a_bounce_of_our_message(inbound, mailing_list, smtp_server):
    # given
    subscriber = subscribed(mailing_list, email="aino@example.fi")
    message, received = sent_copy(mailing_list, smtp_server, subscriber)

    # when
    response = post(
        inbound,
        dsn(to="bounces@lists.kotoverkko.example", recipient="aino@example.fi"),
        envelope_to=received.mail_from.replace("+", "%2B"),
    )

    # then
    assert response.status_code == 200
    assert response.json() == {
        "result": "bounce",
        "unsubscribed": False,
        "bounces": [{"email": "aino@example.fi", "kind": "hard"}],
    }
    assert Bounce.objects.get().message == message
