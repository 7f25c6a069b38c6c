"""Forms of the pages that run a meeting: agenda items and speakers, materials, attendance and
walk-ins, invitations, minutes. The services do the writing."""

from email.utils import parseaddr

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kotoverkko.common import uploads
from kotoverkko.network.models import LANGUAGE_CHOICES

from .models import AgendaItem, Registration
from .services import RegistrationData

MAX_SPEAKERS = 3
MAX_ADDRESSES = 1000
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
LABELS = {
    "title_fi": gettext_lazy("Title in Finnish"),
    "title_sv": gettext_lazy("Title in Swedish"),
    "title_en": gettext_lazy("Title in English"),
    "description_fi": gettext_lazy("Description in Finnish"),
    "description_sv": gettext_lazy("Description in Swedish"),
    "description_en": gettext_lazy("Description in English"),
}


def _language_fields(form: forms.Form, name: str, *, textarea: bool = False) -> None:
    for code, _label in LANGUAGE_CHOICES:
        widget = forms.Textarea(attrs={"rows": 2}) if textarea else forms.TextInput()
        form.fields[f"{name}_{code}"] = forms.CharField(
            label=LABELS[f"{name}_{code}"],
            required=False,
            max_length=None if textarea else 200,
            widget=widget,
        )


class AgendaItemForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    duration = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"), min_value=1, max_value=24 * 60
    )
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=[(value, capfirst(label)) for value, label in AgendaItem.Type.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _language_fields(self, "title")
        _language_fields(self, "description", textarea=True)

    def clean(self):
        data = super().clean()
        for code, _label in LANGUAGE_CHOICES:
            data[f"title_{code}"] = " ".join((data.get(f"title_{code}") or "").split())
            data[f"description_{code}"] = (data.get(f"description_{code}") or "").strip()
        if not any(data[f"title_{code}"] for code, _label in LANGUAGE_CHOICES):
            self.add_error("title_fi", _("Write the title in at least one language."))
        return data

    def service_data(self) -> dict:
        names = ["starts_at", "duration", "type"] + [
            f"{name}_{code}" for name in ("title", "description") for code, _l in LANGUAGE_CHOICES
        ]
        return {name: self.cleaned_data[name] for name in names}

    @staticmethod
    def initial_from(item: AgendaItem) -> dict:
        initial = {"starts_at": item.starts_at, "duration": item.duration, "type": item.type}
        for code, _label in LANGUAGE_CHOICES:
            initial[f"title_{code}"] = getattr(item, f"title_{code}") or ""
            initial[f"description_{code}"] = getattr(item, f"description_{code}") or ""
        return initial


class SpeakerForm(forms.Form):
    """One speaker: a person in the register, or a guest's name and organisation."""

    person = forms.TypedChoiceField(
        label=gettext_lazy("Person in the register"), required=False, coerce=int, empty_value=None
    )
    name = forms.CharField(label=gettext_lazy("or a guest's name"), required=False, max_length=200)
    organisation_name = forms.CharField(
        label=gettext_lazy("Guest's organisation"), required=False, max_length=200
    )

    def __init__(self, *args, people: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["person"].choices = [("", "–")] + [
            (pk, _person_label(person)) for pk, person in people.items()
        ]

    def clean(self):
        data = super().clean()
        name = " ".join((data.get("name") or "").split())
        organisation = " ".join((data.get("organisation_name") or "").split())
        if data.get("person") and name:
            self.add_error("name", _("Choose a person or write a guest's name, not both."))
        if organisation and not (data.get("person") or name):
            self.add_error("name", _("Write the guest's name."))
        data["name"], data["organisation_name"] = name, organisation
        return data

    def speaker(self) -> dict | None:
        data = self.cleaned_data
        if data.get("person"):
            return {"person": self.people[data["person"]]}
        if data.get("name"):
            return {"name": data["name"], "organisation_name": data["organisation_name"]}
        return None


def _person_label(person) -> str:
    if person.organisation_id:
        return f"{person.full_name} ({person.organisation})"
    return person.full_name


SpeakerFormSet = forms.formset_factory(
    SpeakerForm,
    extra=MAX_SPEAKERS,
    max_num=MAX_SPEAKERS,
    absolute_max=MAX_SPEAKERS,
    validate_max=True,
)


def speaker_formset(data=None, *, people: dict, speakers=()) -> forms.BaseFormSet:
    initial = []
    for speaker in speakers:
        if speaker.person_id:
            initial.append({"person": speaker.person_id})
        else:
            initial.append({"name": speaker.name, "organisation_name": speaker.organisation_name})
    return SpeakerFormSet(data, initial=initial, prefix="speaker", form_kwargs={"people": people})


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, PowerPoint, Word, OpenDocument, plain text or Markdown."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
    )
    title = forms.CharField(
        label=pgettext_lazy("event", "Title"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Without a title the file's name is shown."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the document"),
        choices=LANGUAGE_CHOICES,
        required=False,
        initial="fi",
    )
    item = forms.TypedChoiceField(
        label=gettext_lazy("Agenda item"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.fields["item"].choices = [("", _("The whole event"))] + [
            (item.pk, item.title) for item in items
        ]
        self.checked: uploads.CheckedUpload | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = uploads.upload_check(upload, name=upload.name or "")
        return upload

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def agenda_item(self) -> AgendaItem | None:
        pk = self.cleaned_data.get("item")
        return self.items[pk] if pk else None


class WalkInForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    organisation_name = forms.CharField(
        label=gettext_lazy("Organisation"), required=False, max_length=200
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Write the name."))
        return name

    def service_data(self) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            name=data["name"],
            email=data["email"],
            organisation_name=data["organisation_name"],
            language=data["language"],
        )


def attendance_from(post, registrations) -> dict[int, str]:
    """The attendance posted for each row of the registrations page, changed rows only.

    Raises ValidationError naming the row when a value is not one of the choices.
    """
    allowed = set(Registration.Attendance.values)
    changes: dict[int, str] = {}
    for registration in registrations:
        key = f"attendance-{registration.pk}"
        if key not in post or registration.status == Registration.Status.CANCELLED:
            continue
        value = post.get(key)
        if value not in allowed:
            raise ValidationError(
                _("Choose present, absent or not marked for %(name)s.")
                % {"name": registration.name}
            )
        if value != registration.attendance:
            changes[registration.pk] = value
    return changes


class InviteGroupForm(forms.Form):
    group = forms.TypedChoiceField(label=gettext_lazy("Network or team"), coerce=int)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {group.pk: group for group in groups}
        self.fields["group"].choices = [(g.pk, str(g)) for g in groups]

    def network(self):
        return self.groups[self.cleaned_data["group"]]


class InviteAddressesForm(forms.Form):
    addresses = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        help_text=gettext_lazy("One address per line."),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )

    def clean_addresses(self) -> list[str]:
        found: list[str] = []
        errors: list[ValidationError] = []
        lines = self.cleaned_data["addresses"].splitlines()
        for number, line in enumerate(lines, start=1):
            text = line.strip().rstrip(",;").strip()
            if not text:
                continue
            address = parseaddr(text)[1] if "<" in text else text
            try:
                validate_email(address)
            except ValidationError:
                errors.append(
                    ValidationError(
                        _("Line %(line)s: “%(text)s” is not an e-mail address.")
                        % {"line": number, "text": text[:100]}
                    )
                )
            else:
                found.append(address.lower())
        if errors:
            errors.append(ValidationError(_("Nothing was sent. Correct the lines and try again.")))
            raise ValidationError(errors)
        if not found:
            raise ValidationError(_("Write at least one e-mail address."))
        if len(found) > MAX_ADDRESSES:
            raise ValidationError(
                _("At most %(max)s addresses can be invited at once.") % {"max": MAX_ADDRESSES}
            )
        return found


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Minutes"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "minutes-editor"}),
    )

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if not body.strip():
            raise ValidationError(_("The minutes cannot be empty."))
        return body
