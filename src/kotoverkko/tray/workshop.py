"""Starttipaja workshops: planning and running them, the signed links that let invited people
fill in their organisation's tray without an account, the compiled view of a locality's tray,
the follow-up actions agreed and their reminders, and the summary export."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kotoverkko.common.audit import audit_record
from kotoverkko.common.permissions import require
from kotoverkko.common.spreadsheets import write_xlsx
from kotoverkko.mailing.services import message_queue
from kotoverkko.network.models import Network, Organisation, Person
from kotoverkko.network.roles import NetworkTree, roles_for
from kotoverkko.network.selectors import coordinators_by_network

from .languages import language_name
from .models import Category, FollowUp, Offering, Wish, Workshop, WorkshopInvitation

# A link keeps working this many days after the workshop's date (while it is not closed), so
# that a participant can still complete her entries the following week.
LINK_VALID_DAYS_AFTER = 14
# Follow-up actions due within this many days (or overdue) are reminded, once a day.
REMIND_DAYS_BEFORE = 3
LINK_SALT = "kotoverkko.tray.workshop-invitation"
WORKSHOP_FIELDS = ("title", "date", "place", "municipality")


# Workshops ---------------------------------------------------------------------------------


def network_area(network: Network) -> set[int]:
    """The municipalities of the network and of the networks below it."""
    ids = NetworkTree.load().descendants(network.pk)
    return set(
        Network.municipalities.through.objects.filter(network_id__in=ids).values_list(
            "municipality_id", flat=True
        )
    )


def _workshop_assign(workshop: Workshop, data: dict[str, Any]) -> None:
    unknown = set(data) - set(WORKSHOP_FIELDS)
    if unknown:
        raise ValueError(f"Unknown workshop fields: {sorted(unknown)}")
    for name, value in data.items():
        if name in ("title", "place"):
            value = " ".join(str(value or "").split())
        setattr(workshop, name, value)
    errors: dict[str, str] = {}
    if not workshop.title:
        errors["title"] = _("Give the workshop a title.")
    if workshop.municipality_id is None:
        errors["municipality"] = _("Choose the locality.")
    elif workshop.municipality_id not in network_area(workshop.network):
        errors["municipality"] = _("The locality is not in the network's area.")
    if errors:
        raise ValidationError(errors)
    workshop.full_clean(exclude=["created_by"])


@transaction.atomic
def workshop_create(*, actor, network: Network, data: dict[str, Any]) -> Workshop:
    """A planned workshop of a network for one locality of its area."""
    workshop = Workshop(network=network, created_by=actor if _is_user(actor) else None)
    _workshop_assign(workshop, data)
    workshop.save()
    audit_record(
        actor=actor,
        action="create",
        obj=workshop,
        changes={"title": [None, workshop.title]},
        network_ids=[network.pk],
    )
    return workshop


@transaction.atomic
def workshop_update(*, actor, workshop: Workshop, data: dict[str, Any]) -> Workshop:
    workshop = Workshop.objects.select_for_update().select_related("network").get(pk=workshop.pk)
    before = {name: str(getattr(workshop, name)) for name in WORKSHOP_FIELDS}
    _workshop_assign(workshop, data)
    workshop.save()
    after = {name: str(getattr(workshop, name)) for name in WORKSHOP_FIELDS}
    changes = {k: [before[k], after[k]] for k in WORKSHOP_FIELDS if before[k] != after[k]}
    if changes:
        audit_record(
            actor=actor,
            action="update",
            obj=workshop,
            changes=changes,
            network_ids=[workshop.network_id],
        )
    return workshop


def _workshop_status_set(actor, workshop: Workshop, status: str) -> Workshop:
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    before = locked.status
    locked.status = status
    locked.closed_at = timezone.now() if status == Workshop.Status.CLOSED else None
    locked.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=locked,
        changes={"status": [before, status]},
        network_ids=[locked.network_id],
    )
    workshop.status, workshop.closed_at = locked.status, locked.closed_at
    return workshop


@transaction.atomic
def workshop_open(*, actor, workshop: Workshop) -> Workshop:
    """Open the workshop for filling in (again, if it was closed)."""
    return _workshop_status_set(actor, workshop, Workshop.Status.OPEN)


@transaction.atomic
def workshop_close(*, actor, workshop: Workshop) -> Workshop:
    """Close the workshop: its links stop working."""
    return _workshop_status_set(actor, workshop, Workshop.Status.CLOSED)


def workshop_list_coordinated(*, user) -> QuerySet[Workshop]:
    qs = Workshop.objects.select_related("network", "municipality")
    if not user.is_superuser:
        qs = qs.filter(network_id__in=roles_for(user).coordinates)
    return qs.order_by("-date", "-pk")


def coordinated_networks(*, user) -> QuerySet[Network]:
    qs = Network.objects.filter(kind=Network.Kind.NETWORK)
    if not user.is_superuser:
        qs = qs.filter(pk__in=roles_for(user).coordinates)
    return qs.order_by("name")


def workshop_get_for_manage(*, workshop_id: int, user) -> Workshop:
    """The workshop if the user coordinates its network: 404 if there is none, 403 if not hers."""
    try:
        workshop = Workshop.objects.select_related("network", "municipality__region").get(
            pk=workshop_id
        )
    except Workshop.DoesNotExist as exc:
        raise Http404 from exc
    require(user, "workshop.manage", workshop)
    return workshop


# Invitations and their signed links ----------------------------------------------------------


def _is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


@transaction.atomic
def invitation_add(
    *, actor, workshop: Workshop, organisation: Organisation, name: str, email: str
) -> WorkshopInvitation:
    """Invite a named person to fill in her organisation's tray (sent separately)."""
    if workshop.status == Workshop.Status.CLOSED:
        raise ValidationError(_("The workshop is closed."))
    name = " ".join(str(name or "").split())
    email = str(email or "").strip().lower()
    invitation = WorkshopInvitation(
        workshop=workshop, organisation=organisation, name=name, email=email
    )
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the person's name.")
    if WorkshopInvitation.objects.filter(workshop=workshop, email__iexact=email).exists():
        errors["email"] = _("This address has already been invited to the workshop.")
    if errors:
        raise ValidationError(errors)
    invitation.full_clean(exclude=["nonce", "workshop"])
    invitation.save()
    audit_record(
        actor=actor,
        action="create",
        obj=invitation,
        changes={"email": [None, email]},
        network_ids=[workshop.network_id],
    )
    return invitation


def invitation_token(invitation: WorkshopInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=LINK_SALT)


def _language_for(email: str, organisation: Organisation, network: Network) -> str:
    """The person's own language if she is in the register, else her organisation's."""
    person = Person.objects.filter(email__iexact=email).only("language").first()
    if person is not None:
        return person.language
    if (organisation.language_status or "").startswith("sv"):
        return "sv"
    languages = network.languages or ["fi"]
    return languages[0]


def _invitation_queue(invitation: WorkshopInvitation) -> None:
    workshop = invitation.workshop
    message_queue(
        to=invitation.email,
        to_name=invitation.name,
        template="tray/workshop/email/invitation",
        context={
            "invitation": invitation,
            "workshop": workshop,
            "token": invitation_token(invitation),
            "valid_until": link_valid_until(workshop),
        },
        language=_language_for(invitation.email, invitation.organisation, workshop.network),
        key=f"tray-workshop-invitation:{invitation.pk}:{invitation.nonce}",
    )


@transaction.atomic
def invitations_send(*, actor, workshop: Workshop) -> int:
    """E-mail every invitation not yet sent; returns how many were sent."""
    if workshop.status == Workshop.Status.CLOSED:
        raise ValidationError(_("The workshop is closed."))
    pending = list(
        WorkshopInvitation.objects.select_for_update()
        .filter(workshop=workshop, sent_at__isnull=True)
        .select_related("organisation")
    )
    now = timezone.now()
    for invitation in pending:
        invitation.workshop = workshop
        _invitation_queue(invitation)
    WorkshopInvitation.objects.filter(pk__in=[i.pk for i in pending]).update(sent_at=now)
    if pending:
        audit_record(
            actor=actor,
            action="update",
            obj=workshop,
            changes={"invitations_sent": [None, len(pending)]},
            network_ids=[workshop.network_id],
        )
    return len(pending)


@transaction.atomic
def invitation_resend(*, actor, invitation: WorkshopInvitation) -> WorkshopInvitation:
    """Send a new link; the old one stops working."""
    invitation = (
        WorkshopInvitation.objects.select_for_update()
        .select_related("workshop__network", "organisation")
        .get(pk=invitation.pk)
    )
    if invitation.workshop.status == Workshop.Status.CLOSED:
        raise ValidationError(_("The workshop is closed."))
    invitation.nonce = WorkshopInvitation._meta.get_field("nonce").get_default()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["nonce", "sent_at"])
    _invitation_queue(invitation)
    audit_record(
        actor=actor,
        action="update",
        obj=invitation,
        changes={"link": [None, "renewed"]},
        network_ids=[invitation.workshop.network_id],
    )
    return invitation


def invitation_list(*, workshop: Workshop) -> QuerySet[WorkshopInvitation]:
    return workshop.invitations.select_related("organisation").order_by(
        "organisation__name", "name", "pk"
    )


def invitable_organisations(*, workshop: Workshop) -> QuerySet[Organisation]:
    """Organisations at home in, or serving, a municipality of the network's area."""
    area = network_area(workshop.network)
    served = Organisation.municipalities.through.objects.filter(municipality_id__in=area)
    return Organisation.objects.filter(
        Q(municipality_id__in=area) | Q(pk__in=served.values("organisation_id"))
    ).order_by("name")


def invited_organisations(*, workshop: Workshop) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=workshop.invitations.values("organisation_id")
    ).order_by("name")


def link_valid_until(workshop: Workshop) -> date:
    return workshop.date + timedelta(days=LINK_VALID_DAYS_AFTER)


class LinkInvalid(Exception):
    """The link was not made here, was changed, or has been replaced by a newer one."""


class LinkEnded(Exception):
    """The link was real but the workshop has closed or its time has passed."""

    def __init__(self, workshop: Workshop) -> None:
        super().__init__(workshop.pk)
        self.workshop = workshop


def invitation_from_token(token: str, *, today: date | None = None) -> WorkshopInvitation:
    """The invitation a link stands for; LinkInvalid or LinkEnded when it cannot be used."""
    try:
        payload = signing.loads(token, salt=LINK_SALT)
        pk, nonce = int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid from exc
    invitation = (
        WorkshopInvitation.objects.select_related(
            "workshop__network", "workshop__municipality__region", "organisation"
        )
        .filter(pk=pk, nonce=nonce)
        .first()
    )
    if invitation is None:
        raise LinkInvalid
    workshop = invitation.workshop
    today = today or timezone.localdate()
    if workshop.status == Workshop.Status.CLOSED or today > link_valid_until(workshop):
        raise LinkEnded(workshop)
    return invitation


def invitation_touch(*, invitation: WorkshopInvitation) -> None:
    """Record that the link was used (first and last time)."""
    now = timezone.now()
    WorkshopInvitation.objects.filter(pk=invitation.pk, first_used_at__isnull=True).update(
        first_used_at=now
    )
    WorkshopInvitation.objects.filter(pk=invitation.pk).update(last_used_at=now)
    invitation.first_used_at = invitation.first_used_at or now
    invitation.last_used_at = now


# The locality's tray ------------------------------------------------------------------------


def _covering(workshop: Workshop) -> Q:
    """Offerings offered in the workshop's municipality, by name or as part of its region."""
    municipality = workshop.municipality
    return Q(
        pk__in=Offering.municipalities.through.objects.filter(
            municipality_id=municipality.pk
        ).values("offering_id")
    ) | Q(
        pk__in=Offering.regions.through.objects.filter(region_id=municipality.region_id).values(
            "offering_id"
        )
    )


def invitation_offerings(*, invitation: WorkshopInvitation) -> QuerySet[Offering]:
    """The invitation's organisation's offerings in the workshop's locality."""
    return (
        Offering.objects.filter(_covering(invitation.workshop))
        .filter(organisation_id=invitation.organisation_id, archived=False)
        .select_related("category")
        .order_by("category__kind", "category__position", "pk")
    )


def invitation_offering_get(*, invitation: WorkshopInvitation, offering_id: int) -> Offering:
    """One of the organisation's offerings; 404 for any other organisation's."""
    try:
        return (
            Offering.objects.select_related("category")
            .prefetch_related("groups")
            .get(pk=offering_id, organisation_id=invitation.organisation_id)
        )
    except Offering.DoesNotExist as exc:
        raise Http404 from exc


def invitation_wishes(*, invitation: WorkshopInvitation) -> QuerySet[Wish]:
    return Wish.objects.filter(
        workshop_id=invitation.workshop_id, organisation_id=invitation.organisation_id
    ).select_related("category")


@dataclass
class CategoryRow:
    category: Category
    offerings: list[Offering] = field(default_factory=list)
    wishes: list[Wish] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        codes: list[str] = []
        for offering in self.offerings:
            for code in offering.languages or []:
                if code not in codes:
                    codes.append(code)
        return codes

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.languages]


@dataclass
class Compiled:
    rows: list[CategoryRow]
    other_wishes: list[Wish]
    invited_organisations: set[int]
    offering_count: int
    wish_count: int


def workshop_compiled(*, workshop: Workshop) -> Compiled:
    """Per category: who offers what in the locality, in which languages, and the workshop's
    wishes. A fixed number of queries however many rows there are."""
    categories = list(Category.objects.filter(active=True))
    offerings = list(
        Offering.objects.filter(_covering(workshop), archived=False)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    wishes = list(
        Wish.objects.filter(workshop=workshop).select_related("organisation").order_by("pk")
    )
    invited = set(workshop.invitations.values_list("organisation_id", flat=True))
    rows = {category.pk: CategoryRow(category) for category in categories}
    for offering in offerings:
        offering.language_names = [language_name(code) for code in offering.languages or []]
        if offering.category_id in rows:
            rows[offering.category_id].offerings.append(offering)
    other = []
    for wish in wishes:
        if wish.category_id in rows:
            rows[wish.category_id].wishes.append(wish)
        else:
            other.append(wish)
    return Compiled(
        rows=list(rows.values()),
        other_wishes=other,
        invited_organisations=invited,
        offering_count=len(offerings),
        wish_count=len(wishes),
    )


# Follow-up actions ---------------------------------------------------------------------------

FOLLOW_UP_FIELDS = ("what", "who", "who_email", "organisation", "due_on")


@transaction.atomic
def follow_up_add(*, actor, workshop: Workshop, data: dict[str, Any]) -> FollowUp:
    """An action agreed in the workshop: what, who and by when."""
    unknown = set(data) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise ValueError(f"Unknown follow-up fields: {sorted(unknown)}")
    follow_up = FollowUp(workshop=workshop, created_by=actor if _is_user(actor) else None)
    for name, value in data.items():
        if name in ("what", "who"):
            value = " ".join(str(value or "").split())
        elif name == "who_email":
            value = str(value or "").strip().lower()
        setattr(follow_up, name, value)
    follow_up.full_clean(exclude=["created_by", "workshop"])
    follow_up.save()
    audit_record(
        actor=actor,
        action="create",
        obj=follow_up,
        changes={"what": [None, follow_up.what]},
        network_ids=[workshop.network_id],
    )
    return follow_up


def _follow_up_mark(actor, follow_up: FollowUp, done_at) -> FollowUp:
    FollowUp.objects.filter(pk=follow_up.pk).update(done_at=done_at)
    before = follow_up.done_at
    follow_up.done_at = done_at
    audit_record(
        actor=actor,
        action="update",
        obj=follow_up,
        changes={"done": [before is not None, done_at is not None]},
        network_ids=[follow_up.workshop.network_id],
    )
    return follow_up


@transaction.atomic
def follow_up_done(*, actor, follow_up: FollowUp) -> FollowUp:
    return _follow_up_mark(actor, follow_up, follow_up.done_at or timezone.now())


@transaction.atomic
def follow_up_reopen(*, actor, follow_up: FollowUp) -> FollowUp:
    return _follow_up_mark(actor, follow_up, None)


def follow_up_list(*, workshop: Workshop) -> QuerySet[FollowUp]:
    return workshop.follow_ups.select_related("organisation").order_by("due_on", "pk")


def follow_up_get(*, workshop: Workshop, follow_up_id: int) -> FollowUp:
    try:
        follow_up = FollowUp.objects.get(pk=follow_up_id, workshop=workshop)
    except FollowUp.DoesNotExist as exc:
        raise Http404 from exc
    follow_up.workshop = workshop
    return follow_up


def follow_up_remind_due(*, today: date | None = None) -> int:
    """E-mail the people responsible for follow-up actions due within REMIND_DAYS_BEFORE days
    or overdue, at most once a day; an action without an address goes to the network's
    coordinators. Returns how many messages were queued."""
    today = today or timezone.localdate()
    items = list(
        FollowUp.objects.filter(
            done_at__isnull=True, due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE)
        )
        .exclude(reminded_on=today)
        .select_related("workshop__network", "workshop__municipality")
        .order_by("due_on", "pk")
    )
    coordinators = coordinators_by_network({item.workshop.network_id for item in items})
    emails = {item.who_email for item in items if item.who_email}
    people = {
        person.email.lower(): person
        for person in Person.objects.filter(email__in=emails).only("email", "language")
    }
    # (name, language, coordinator?, items) by address: only coordinators get the page's link.
    recipients: dict[str, tuple[str, str, bool, list[FollowUp]]] = {}
    for item in items:
        if item.who_email:
            person = people.get(item.who_email)
            network_languages = item.workshop.network.languages or ["fi"]
            language = person.language if person else network_languages[0]
            targets = [(item.who_email, item.who, language, False)]
        else:
            targets = [
                (p.email.lower(), p.full_name, p.language, True)
                for p in coordinators[item.workshop.network_id]
            ]
        for email, name, language, coordinator in targets:
            entry = recipients.setdefault(email, (name, language, coordinator, []))
            entry[3].append(item)
    with transaction.atomic():
        for email, (name, language, coordinator, person_items) in recipients.items():
            digest = hashlib.sha256(email.encode()).hexdigest()[:24]
            message_queue(
                to=email,
                to_name=name,
                template="tray/workshop/email/follow_up_reminder",
                context={
                    "name": name,
                    "items": person_items,
                    "today": today,
                    "with_links": coordinator,
                },
                language=language,
                key=f"tray-follow-up:{today.isoformat()}:{digest}",
            )
        FollowUp.objects.filter(pk__in=[item.pk for item in items]).update(reminded_on=today)
    return len(recipients)


@task()
def follow_up_reminders_send() -> int:
    return follow_up_remind_due()


# The summary -------------------------------------------------------------------------------


def workshop_summary_xlsx(*, workshop: Workshop) -> bytes:
    """The compiled tray, the wishes and the follow-up actions as one sheet, a section column
    first so that the rows sort and filter together."""
    compiled = workshop_compiled(workshop=workshop)
    header = [
        _("Section"),
        _("Category"),
        _("Organisation"),
        _("Title"),
        _("Languages"),
        _("Who"),
        _("By"),
        _("Status"),
    ]
    rows: list[list[Any]] = []
    for row in compiled.rows:
        for offering in row.offerings:
            rows.append(
                [
                    _("Offering"),
                    row.category.name,
                    offering.organisation.name,
                    offering.title,
                    ", ".join(language_name(code) for code in offering.languages or []),
                    offering.contact_name,
                    None,
                    _("confirmed %(date)s") % {"date": offering.confirmed_on.isoformat()},
                ]
            )
    for row in compiled.rows:
        for wish in row.wishes:
            rows.append(_wish_row(wish, row.category.name))
    for wish in compiled.other_wishes:
        rows.append(_wish_row(wish, ""))
    for follow_up in follow_up_list(workshop=workshop):
        rows.append(
            [
                _("Follow-up action"),
                "",
                follow_up.organisation.name if follow_up.organisation else "",
                follow_up.what,
                "",
                follow_up.who,
                follow_up.due_on,
                _("done") if follow_up.done_at else _("open"),
            ]
        )
    return write_xlsx(header, rows, title=workshop.title)


def _wish_row(wish: Wish, category: str) -> list[Any]:
    return [
        _("Wish"),
        category,
        wish.organisation.name,
        wish.title,
        "",
        "",
        None,
        wish.get_status_display(),
    ]
