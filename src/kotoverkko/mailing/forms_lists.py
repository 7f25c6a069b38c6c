"""Forms of the list pages: subscribing, preferences, and the coordinators' list pages."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.common.spreadsheets import SpreadsheetError
from kotoverkko.network.models import LANGUAGE_CHOICES

from . import consent, imports
from .models import Subscription

EMAIL_MAX_LENGTH = 254


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the messages"),
        choices=LANGUAGE_CHOICES,
        help_text=gettext_lazy(
            "The newsletter comes in this language when the network publishes it in it, "
            "otherwise in the network's main language."
        ),
    )
    # The version of the consent text the visitor read; a hidden field's errors are not shown
    # beside it, so an unknown version is an error of the whole form.
    consent_version = forms.CharField(widget=forms.HiddenInput, max_length=20, required=False)

    def clean(self):
        cleaned = super().clean()
        if not consent.is_known_version(cleaned.get("consent_version") or ""):
            self.add_error(
                None, _("The form has changed since you opened it. Read it again and resend.")
            )
        return cleaned


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the messages"), choices=LANGUAGE_CHOICES
    )


class SubscriberFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Address contains"), max_length=254, required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All")), *Subscription.Status.choices],
        required=False,
    )

    def clean_q(self):
        value = self.cleaned_data["q"]
        if "\x00" in value:
            raise ValidationError(_("The search contains a character that is not allowed."))
        return value


class CoordinatorAddForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=EMAIL_MAX_LENGTH)
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the messages"), choices=LANGUAGE_CHOICES
    )
    consented = forms.BooleanField(
        label=gettext_lazy("The person has agreed to receive the list's messages"),
        help_text=gettext_lazy(
            "For example, they asked for it in person or in writing: they are on the list at "
            "once. Without this they get a confirmation link and are on the list when they "
            "use it."
        ),
        required=False,
    )


class ListSettingsForm(forms.Form):
    is_open = forms.BooleanField(
        label=gettext_lazy("Anyone may subscribe through the public form"), required=False
    )
    members_subscribed = forms.BooleanField(
        label=gettext_lazy("Members are on the list unless they leave it"),
        help_text=gettext_lazy(
            "Turning this on puts the current members on the list, except those who have left "
            "it or every list."
        ),
        required=False,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Address list"),
        help_text=gettext_lazy(
            "A CSV file (separated by commas, semicolons or tabs) or an Excel workbook (XLSX)."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,text/plain,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    consent_confirmed = forms.BooleanField(
        label=gettext_lazy(
            "The people in this file have agreed to receive this list's messages, and I can "
            "show how they agreed if asked"
        ),
        error_messages={
            "required": gettext_lazy(
                "An import needs the consent of the people on the list. Tick the box to state it."
            )
        },
    )

    def __init__(self, *args, default_language: str = "fi", **kwargs):
        super().__init__(*args, **kwargs)
        self.default_language = default_language
        self.result: imports.ImportResult | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        data = b"" if upload.size > limit else upload.read(limit + 1)
        if upload.size > limit or len(data) > limit:
            raise ValidationError(
                _("The file is %(size)s; at most %(max)s can be imported at once.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(limit)}
            )
        try:
            self.result = imports.subscriber_import_read(
                data=data,
                filename=upload.name or "",
                max_rows=settings.IMPORT_MAX_ROWS,
                default_language=self.default_language,
            )
        except SpreadsheetError as error:
            raise ValidationError(str(error)) from error
        return upload
