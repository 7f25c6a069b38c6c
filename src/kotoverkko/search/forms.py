"""The search page's GET form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kotoverkko.network.models import LANGUAGE_CHOICES

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    """Every filter is checked against what exists, so a mistyped or stale address gets a
    message instead of an error page."""

    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Make the search at most %(limit_value)d characters long.")
        },
    )
    type = forms.ChoiceField(label=_("Content"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    organisation = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, data, *, types, networks, years):
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["type"].choices = everything + list(types)
        self.fields["network"].choices = everything + list(networks)
        self.fields["language"].choices = everything + list(LANGUAGE_CHOICES)
        self.fields["year"].choices = everything + [(str(y), str(y)) for y in years]
        self.fields["type"].error_messages["invalid_choice"] = _(
            "There is no content type “%(value)s”. Choose one."
        )
        self.fields["network"].error_messages["invalid_choice"] = _(
            "There is no network “%(value)s”. Choose one."
        )
        self.fields["language"].error_messages["invalid_choice"] = _(
            "There is no language “%(value)s”. Choose one."
        )
        self.fields["year"].error_messages["invalid_choice"] = _(
            "Nothing is indexed from the year “%(value)s”. Choose one."
        )
        self.fields["page"].error_messages["invalid"] = _("The page must be a number.")

    def clean_q(self) -> str:
        value = self.cleaned_data.get("q") or ""
        if "\x00" in value:
            raise forms.ValidationError(_("The search contains a character that is not allowed."))
        return " ".join(value.split())
