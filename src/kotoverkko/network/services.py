"""Changing networks, organisations, people, memberships and join requests.

Every change is checked against the model's rules, written in one transaction and recorded in
the audit log. E-mail goes through the outbox after commit.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotoverkko.common.audit import audit_record, audit_record_many, diff, snapshot
from kotoverkko.mailing.services import message_queue
from kotoverkko.mailing.subscriptions import (
    subscription_membership_add,
    subscription_membership_add_many,
    subscription_membership_end,
)

from .models import JoinRequest, Membership, Network, Organisation, Person
from .roles import NetworkTree, forget_roles

NETWORK_AUDITED = [
    "slug",
    "kind",
    "parent",
    "name_fi",
    "name_sv",
    "name_en",
    "short_name",
    "description_fi",
    "description_sv",
    "description_en",
    "how_to_join_fi",
    "how_to_join_sv",
    "how_to_join_en",
    "meeting_rhythm_fi",
    "meeting_rhythm_sv",
    "meeting_rhythm_en",
    "languages",
    "contact_person",
    "contact_email",
    "municipalities",
    "is_open",
]
ORGANISATION_AUDITED = [
    "name_fi",
    "name_sv",
    "name_en",
    "type",
    "description_fi",
    "description_sv",
    "description_en",
    "municipality",
    "municipalities",
    "language_status",
    "business_id",
    "website",
    "email",
    "phone",
    "valid_from",
    "valid_until",
    "predecessors",
    "editors",
]
PERSON_AUDITED = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "title",
    "organisation",
    "municipality",
    "language",
]
M2M = {"municipalities", "predecessors", "editors"}


def _assign(obj, data: dict[str, Any]) -> dict[str, Any]:
    """Set plain fields on obj; return the many-to-many values to set after saving."""
    m2m = {}
    for name, value in data.items():
        if name in M2M:
            m2m[name] = value
        else:
            setattr(obj, name, value)
    return m2m


def _save_validated(obj, m2m: dict[str, Any]) -> None:
    obj.full_clean()
    obj.save()
    for name, value in m2m.items():
        getattr(obj, name).set(value)


def _network_scope(network: Network) -> list[int]:
    return NetworkTree.load().ancestors(network.pk)


def _person_scope(person: Person) -> set[int]:
    tree = NetworkTree.load()
    ids: set[int] = set()
    for network_id in person.memberships.values_list("network_id", flat=True):
        ids.update(tree.ancestors(network_id))
    return ids


def _organisation_scope(organisation: Organisation) -> set[int]:
    tree = NetworkTree.load()
    ids: set[int] = set()
    for network_id in Membership.objects.filter(person__organisation=organisation).values_list(
        "network_id", flat=True
    ):
        ids.update(tree.ancestors(network_id))
    served = set(organisation.municipalities.values_list("pk", flat=True))
    ids.update(
        Network.municipalities.through.objects.filter(municipality_id__in=served).values_list(
            "network_id", flat=True
        )
    )
    return ids


def _write_audited(*, actor, obj, data: dict[str, Any], audited: list[str], scope) -> None:
    """Assign, validate and save obj with its many-to-many values, and log what changed."""
    before = snapshot(obj, audited) if obj.pk else {}
    m2m = _assign(obj, data)
    _save_validated(obj, m2m)
    changes = diff(before, snapshot(obj, audited))
    if changes or not before:
        audit_record(
            actor=actor,
            action="update" if before else "create",
            obj=obj,
            changes=changes,
            network_ids=scope(obj),
        )


# Networks and teams -------------------------------------------------------------------------


@transaction.atomic
def network_create(*, actor, data: dict[str, Any]) -> Network:
    network = Network()
    _write_audited(
        actor=actor, obj=network, data=data, audited=NETWORK_AUDITED, scope=_network_scope
    )
    return network


@transaction.atomic
def network_update(*, actor, network: Network, data: dict[str, Any]) -> Network:
    _write_audited(
        actor=actor, obj=network, data=data, audited=NETWORK_AUDITED, scope=_network_scope
    )
    return network


# Organisations ------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor, data: dict[str, Any]) -> Organisation:
    organisation = Organisation()
    _write_audited(
        actor=actor,
        obj=organisation,
        data=data,
        audited=ORGANISATION_AUDITED,
        scope=_organisation_scope,
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    _write_audited(
        actor=actor,
        obj=organisation,
        data=data,
        audited=ORGANISATION_AUDITED,
        scope=_organisation_scope,
    )
    return organisation


# People -------------------------------------------------------------------------------------


def _email_taken(email: str, exclude_pk: int | None = None) -> bool:
    qs = Person.objects.filter(email__iexact=email.strip())
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def person_create(
    *,
    actor,
    data: dict[str, Any],
    network: Network | None = None,
    role: str = Membership.Role.MEMBER,
) -> Person:
    """Add a person, and if a network is given, make them an active member of it."""
    if _email_taken(data.get("email", "")):
        raise ValidationError({"email": _("Someone with this e-mail address is already listed.")})
    person = Person()
    _assign(person, data)
    person.email = (person.email or "").strip().lower()
    person.full_clean()
    person.save()
    if network is not None:
        membership_add(actor=actor, person=person, network=network, role=role)
    audit_record(
        actor=actor,
        action="create",
        obj=person,
        changes=diff({}, snapshot(person, PERSON_AUDITED)),
        network_ids=_person_scope(person),
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict[str, Any]) -> Person:
    if "email" in data and _email_taken(data["email"], exclude_pk=person.pk):
        raise ValidationError({"email": _("Someone with this e-mail address is already listed.")})
    before = snapshot(person, PERSON_AUDITED)
    _assign(person, data)
    person.email = (person.email or "").strip().lower()
    person.full_clean()
    person.save()
    if person.user_id and person.user.email != person.email:
        person.user.email = person.email
        person.user.save(update_fields=["email"])
    changes = diff(before, snapshot(person, PERSON_AUDITED))
    if changes:
        audit_record(
            actor=actor,
            action="update",
            obj=person,
            changes=changes,
            network_ids=_person_scope(person),
        )
    return person


# Memberships --------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    actor,
    person: Person,
    network: Network,
    role: str = Membership.Role.MEMBER,
    status: str = Membership.Status.ACTIVE,
    started_on: date | None = None,
) -> Membership:
    """Make the person a member of the network; an existing current membership is reused."""
    if role == Membership.Role.LEAD and not network.is_team:
        raise ValidationError({"role": _("Only a team has a team lead.")})
    current = (
        Membership.objects.select_for_update()
        .filter(person=person, network=network, status__in=["active", "requested"])
        .first()
    )
    if current is not None:
        if current.status == Membership.Status.ACTIVE and current.role == role:
            raise ValidationError(
                _("%(person)s is already a member of %(network)s.")
                % {"person": person, "network": network}
            )
        before = snapshot(current, ["role", "status"])
        current.role = role
        current.status = status
        if status == Membership.Status.ACTIVE and current.started_on is None:
            current.started_on = started_on or timezone.localdate()
        current.save(update_fields=["role", "status", "started_on"])
        audit_record(
            actor=actor,
            action="update",
            obj=current,
            changes=diff(before, snapshot(current, ["role", "status"])),
            network_ids=_network_scope(network),
        )
        if current.status == Membership.Status.ACTIVE:
            subscription_membership_add(person, network)
        _forget(person)
        return current
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                person=person,
                network=network,
                role=role,
                status=status,
                started_on=(started_on or timezone.localdate())
                if status == Membership.Status.ACTIVE
                else None,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(person)s is already a member of %(network)s.")
            % {"person": person, "network": network}
        ) from exc
    audit_record(
        actor=actor,
        action="create",
        obj=membership,
        changes={"role": [None, role], "status": [None, status]},
        network_ids=_network_scope(network),
    )
    if membership.status == Membership.Status.ACTIVE:
        subscription_membership_add(person, network)
    _forget(person)
    return membership


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    if role == Membership.Role.LEAD and not membership.network.is_team:
        raise ValidationError({"role": _("Only a team has a team lead.")})
    if membership.status == Membership.Status.ENDED:
        raise ValidationError(_("An ended membership cannot be changed."))
    before = snapshot(membership, ["role"])
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="update",
        obj=membership,
        changes=diff(before, snapshot(membership, ["role"])),
        network_ids=_network_scope(membership.network),
    )
    _forget(membership.person)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, ended_on: date | None = None) -> Membership:
    """End a membership; the row stays as history."""
    if membership.status == Membership.Status.ENDED:
        raise ValidationError(_("This membership has already ended."))
    membership.status = Membership.Status.ENDED
    membership.ended_on = ended_on or timezone.localdate()
    membership.save(update_fields=["status", "ended_on"])
    subscription_membership_end(membership.person, membership.network)
    audit_record(
        actor=actor,
        action="update",
        obj=membership,
        changes={
            "status": ["active", "ended"],
            "ended_on": [None, membership.ended_on.isoformat()],
        },
        network_ids=_network_scope(membership.network),
    )
    _forget(membership.person)
    return membership


@transaction.atomic
def membership_bulk_import(
    *,
    actor,
    network: Network,
    new_people: list[tuple[dict[str, Any], str]],
    existing_people: list[tuple[Person, str]],
) -> list[Membership]:
    """Add many people to a network at once (imports): new people with their roles, and
    listed people who get a membership. A few queries in all, whatever the number of rows.

    The caller has already checked for duplicates; the database constraints still refuse any
    that slipped through, and then nothing is saved.
    """
    for _data, role in [*new_people, *existing_people]:
        if role == Membership.Role.LEAD and not network.is_team:
            raise ValidationError({"role": _("Only a team has a team lead.")})
    emails = [(data.get("email") or "").strip().lower() for data, _role in new_people]
    taken = any(
        Person.objects.filter(email__in=emails[i : i + 500]).exists()
        for i in range(0, len(emails), 500)
    )
    if len(set(emails)) != len(emails) or taken:
        raise ValidationError({"email": _("Someone with this e-mail address is already listed.")})
    people = []
    for data, _role in new_people:
        person = Person(**data)
        person.email = (person.email or "").strip().lower()
        # Related rows come from the database already; checking each again costs a query.
        person.full_clean(exclude=["organisation", "municipality", "user"], validate_unique=False)
        people.append(person)
    try:
        with transaction.atomic():
            people = Person.objects.bulk_create(people, batch_size=500)
            if any(p.pk is None for p in people):  # backends that do not return ids
                by_email = {
                    email: pk
                    for i in range(0, len(emails), 500)
                    for email, pk in Person.objects.filter(
                        email__in=emails[i : i + 500]
                    ).values_list("email", "pk")
                }
                for person in people:
                    person.pk = by_email[person.email]
            today = timezone.localdate()
            members = [(p, role) for p, (_data, role) in zip(people, new_people, strict=True)]
            members += existing_people
            memberships = Membership.objects.bulk_create(
                [
                    Membership(
                        person=person,
                        network=network,
                        role=role,
                        status=Membership.Status.ACTIVE,
                        started_on=today,
                    )
                    for person, role in members
                ],
                batch_size=500,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Someone in the file was added to the network meanwhile; nothing was saved.")
        ) from exc
    subscription_membership_add_many(people=[person for person, _role in members], network=network)
    scope = _network_scope(network)
    audit_record_many(
        actor=actor,
        action="create",
        objects=people,
        changes=[diff({}, snapshot(p, PERSON_AUDITED)) for p in people],
        network_ids=scope,
    )
    if all(m.pk is not None for m in memberships):
        audit_record_many(
            actor=actor,
            action="create",
            objects=memberships,
            changes=[{"role": [None, m.role], "status": [None, m.status]} for m in memberships],
            network_ids=scope,
        )
    for person, _role in existing_people:
        _forget(person)
    return memberships


def _forget(person: Person) -> None:
    if person.user_id:
        forget_roles(person.user)


# Join requests ------------------------------------------------------------------------------


@transaction.atomic
def join_request_submit(*, network: Network, data: dict[str, Any]) -> JoinRequest:
    """A request from the public form. Duplicates and existing members get a clear answer."""
    if not network.is_open:
        raise ValidationError(_("This network does not take join requests through the site."))
    email = (data.get("email") or "").strip().lower()
    data = {**data, "email": email}
    if Membership.objects.filter(
        person__email__iexact=email, network=network, status=Membership.Status.ACTIVE
    ).exists():
        raise ValidationError(
            {
                "email": _("This e-mail address is already a member of %(network)s.")
                % {"network": network}
            }
        )
    if JoinRequest.objects.filter(
        network=network, email__iexact=email, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            {"email": _("A request with this e-mail address is already waiting for a decision.")}
        )
    request = JoinRequest(network=network, **data)
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("A request with this e-mail address is already waiting for a decision.")}
        ) from exc
    _notify_managers_of_request(request)
    return request


def _notify_managers_of_request(request: JoinRequest) -> None:
    tree = NetworkTree.load()
    managers = Person.objects.filter(
        memberships__network_id__in=tree.ancestors(request.network_id),
        memberships__role=Membership.Role.COORDINATOR,
        memberships__status=Membership.Status.ACTIVE,
    )
    if request.network.is_team:
        managers = managers | Person.objects.filter(
            memberships__network=request.network,
            memberships__role=Membership.Role.LEAD,
            memberships__status=Membership.Status.ACTIVE,
        )
    for manager in managers.distinct():
        message_queue(
            to=manager.email,
            to_name=manager.full_name,
            template="network/email/join_request_received",
            context={"request": request, "manager": manager},
            language=manager.language,
            key=f"join-request-received:{request.pk}:{manager.pk}",
        )


@transaction.atomic
def join_request_accept(*, actor, join_request: JoinRequest) -> Membership:
    request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    person = Person.objects.filter(email__iexact=request.email).first()
    if person is None:
        person = person_create(
            actor=actor,
            data={
                "first_name": request.first_name,
                "last_name": request.last_name,
                "email": request.email,
                "phone": request.phone,
                "title": request.title,
                "organisation": request.organisation,
                "municipality": request.municipality,
                "language": request.language,
            },
        )
    membership = membership_add(actor=actor, person=person, network=request.network)
    request.status = JoinRequest.Status.ACCEPTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.person = person
    request.save(update_fields=["status", "decided_by", "decided_at", "person"])
    message_queue(
        to=request.email,
        to_name=request.full_name,
        template="network/email/join_request_accepted",
        context={"request": request, "network": request.network},
        language=request.language,
        key=f"join-request-decided:{request.pk}",
    )
    join_request.status = request.status
    return membership


@transaction.atomic
def join_request_decline(*, actor, join_request: JoinRequest, note: str = "") -> JoinRequest:
    request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    request.status = JoinRequest.Status.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="update",
        obj=request,
        changes={"status": ["pending", "declined"]},
        network_ids=_network_scope(request.network),
    )
    message_queue(
        to=request.email,
        to_name=request.full_name,
        template="network/email/join_request_declined",
        context={"request": request, "network": request.network},
        language=request.language,
        key=f"join-request-decided:{request.pk}",
    )
    return request
