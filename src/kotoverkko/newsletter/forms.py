"""Forms of the bulletin's coordination pages: news items, an issue's title and introduction,
items to add, a test, sending and scheduling. The services do the writing."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kotoverkko.common.forms import apply_service_errors
from kotoverkko.events.forms_manage import local_datetime
from kotoverkko.network.models import LANGUAGE_CHOICES, Network

from . import selectors
from .models import NewsItem

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
CODES = [code for code, _label in LANGUAGE_CHOICES]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TranslatedForm(forms.Form):
    """A form with one field per language for some of its texts, shown in fieldsets: the
    network's languages first, then the others."""

    translated: dict[str, tuple] = {}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        for name, (label, make) in self.translated.items():
            for code in CODES:
                field = make()
                field.label = _("%(field)s (%(language)s)") % {
                    "field": label,
                    "language": LANGUAGE_NAMES[code],
                }
                self.fields[f"{name}_{code}"] = field

    def language_groups(self) -> list[dict]:
        published = selectors.network_languages(self.network)
        ordered = published + [code for code in CODES if code not in published]
        return [
            {
                "code": code,
                "legend": capfirst(LANGUAGE_NAMES[code]),
                "published": code in published,
                "fields": [self[f"{name}_{code}"] for name in self.translated],
            }
            for code in ordered
        ]

    def translated_data(self) -> dict[str, str]:
        return {
            f"{name}_{code}": self.cleaned_data.get(f"{name}_{code}") or ""
            for name in self.translated
            for code in CODES
        }

    def apply_errors(self, error: ValidationError) -> None:
        apply_service_errors(self, error)


def _title_field(max_length: int = 200):
    return lambda: forms.CharField(max_length=max_length, required=False)


def _text_field(rows: int = 6):
    return lambda: forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": rows}))


class NewsForm(TranslatedForm):
    translated = {
        "title": (pgettext_lazy("news", "Title"), _title_field()),
        "text": (
            pgettext_lazy("news", "Text"),
            _text_field(),
        ),
    }

    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=NewsItem.Scope.choices,
        widget=forms.RadioSelect,
        initial=NewsItem.Scope.REGIONAL,
    )
    publish_on = forms.DateField(
        label=gettext_lazy("Publish date"),
        widget=_date_input(),
        help_text=gettext_lazy("The news shows on the public pages and feeds from this day."),
    )
    link = forms.URLField(
        label=gettext_lazy("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Where to read more, e.g. the original announcement."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.text_help = _("Plain text; leave an empty line between paragraphs.")

    def service_data(self) -> dict:
        return {
            "scope": self.cleaned_data["scope"],
            "publish_on": self.cleaned_data["publish_on"],
            "link": self.cleaned_data.get("link") or "",
            **self.translated_data(),
        }

    @staticmethod
    def initial_for(news: NewsItem) -> dict:
        values = {
            "scope": news.scope,
            "publish_on": news.publish_on,
            "link": news.link,
        }
        for name in ("title", "text"):
            for code in CODES:
                values[f"{name}_{code}"] = getattr(news, f"{name}_{code}") or ""
        return values


class IssueForm(TranslatedForm):
    """The issue's title (the e-mail's subject) and introduction in each language."""

    translated = {
        "title": (pgettext_lazy("newsletter", "Title"), _title_field()),
        "introduction": (gettext_lazy("Introduction"), _text_field(5)),
    }

    def service_data(self) -> dict:
        return self.translated_data()


class TextItemForm(TranslatedForm):
    """A free text of an issue: a greeting, a notice, a call for speakers."""

    translated = {
        "heading": (gettext_lazy("Heading"), _title_field()),
        "text": (pgettext_lazy("news", "Text"), _text_field(4)),
    }

    def service_data(self) -> dict:
        return self.translated_data()


class ChoiceOfForm(forms.Form):
    """One of the given objects, chosen by its id from a list."""

    def __init__(self, *args, objects: list, label: str, label_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = {obj.pk: obj for obj in objects}
        self.fields["choice"] = forms.TypedChoiceField(
            label=label,
            coerce=int,
            choices=[("", "---------")] + [(obj.pk, label_of(obj)) for obj in objects],
            error_messages={"invalid_choice": _("Choose one from the list.")},
        )

    @property
    def chosen(self):
        return self.objects[self.cleaned_data["choice"]]


class SendTestForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Edition"), required=False)

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        languages = selectors.network_languages(network)
        choices = [(code, capfirst(LANGUAGE_NAMES[code])) for code in languages]
        if len(languages) > 1:
            choices.insert(0, ("", _("every edition")))
        else:
            self.fields["language"].initial = languages[0]
        self.fields["language"].choices = choices


class SendForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, send the issue to everyone on the list now."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the sending.")},
    )


class ScheduleForm(forms.Form):
    send_on = forms.DateField(label=gettext_lazy("Date"), widget=_date_input())
    send_at = forms.TimeField(
        label=gettext_lazy("Time"),
        widget=_time_input(),
        help_text=gettext_lazy("Finnish time."),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["when"] = local_datetime(data["send_on"], data["send_at"])
        except ValidationError as error:
            self.add_error("send_at", error)
        return data

    @property
    def when(self) -> datetime:
        return self.cleaned_data["when"]

    @staticmethod
    def initial_for(moment: datetime | None) -> dict:
        if moment is None:
            return {}
        local = timezone.localtime(moment)
        return {"send_on": local.date(), "send_at": local.time().replace(second=0, microsecond=0)}

    def apply_errors(self, error: ValidationError) -> None:
        apply_service_errors(self, error, renamed={"scheduled_for": "send_on"})
