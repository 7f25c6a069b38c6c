"""Forms for the public and coordinator pages; the services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kotoverkko.codelists.models import Municipality

from .models import LANGUAGE_CHOICES, JoinRequest, Membership, Network, Organisation, Person
from .selectors import OrganisationFilters


class JoinRequestForm(forms.ModelForm):
    # A field people do not see; bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = JoinRequest
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "title",
            "organisation",
            "organisation_name",
            "municipality",
            "language",
            "message",
        ]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["language"].label = _("Preferred language")

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The request could not be sent."))
        if not data.get("organisation") and not (data.get("organisation_name") or "").strip():
            self.add_error("organisation_name", _("Choose your organisation or write its name."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("website", None)
        return data


class NetworkForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A network with Swedish needs its texts in Swedish as well."),
    )

    class Meta:
        model = Network
        fields = [
            "name_fi",
            "name_sv",
            "name_en",
            "short_name",
            "slug",
            "languages",
            "description_fi",
            "description_sv",
            "description_en",
            "how_to_join_fi",
            "how_to_join_sv",
            "how_to_join_en",
            "meeting_rhythm_fi",
            "meeting_rhythm_sv",
            "meeting_rhythm_en",
            "contact_person",
            "contact_email",
            "municipalities",
            "is_open",
        ]
        widgets = {
            "description_fi": forms.Textarea(attrs={"rows": 5}),
            "description_sv": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "how_to_join_fi": forms.Textarea(attrs={"rows": 3}),
            "how_to_join_sv": forms.Textarea(attrs={"rows": 3}),
            "how_to_join_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_fi"].required = True
        self.fields["municipalities"].queryset = Municipality.objects.order_by("name")
        self.fields["municipalities"].required = False
        self.fields["contact_person"].queryset = Person.objects.order_by("last_name")
        self.fields["contact_person"].required = False
        if self.instance and self.instance.pk:
            self.fields["languages"].initial = self.instance.languages

    def _post_clean(self):
        # The service validates the whole model; only the form's own checks run here.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name_fi",
            "name_sv",
            "name_en",
            "type",
            "language_status",
            "business_id",
            "municipality",
            "municipalities",
            "website",
            "email",
            "phone",
            "description_fi",
            "description_sv",
            "description_en",
            "valid_from",
            "valid_until",
            "predecessors",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "description_fi": forms.Textarea(attrs={"rows": 4}),
            "description_sv": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_fi"].required = True
        municipalities = Municipality.objects.order_by("name")
        self.fields["municipality"].queryset = municipalities
        self.fields["municipalities"].queryset = municipalities
        self.fields["municipalities"].required = False
        others = Organisation.objects.order_by("name")
        if self.instance and self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["predecessors"].queryset = others
        self.fields["predecessors"].required = False

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "title",
            "organisation",
            "municipality",
            "language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("The person must already be listed; add new people on the people page."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(_("Nobody with this e-mail address is listed."))
        self.person = person
        return email


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the applicant (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def organisation_filters_from(params) -> OrganisationFilters:
    """The organisation directory's filters from a query string, ignoring invalid values
    (a NUL character makes a value invalid: PostgreSQL cannot compare text holding one)."""
    network = None
    if (slug := (params.get("network") or "").strip()) and "\x00" not in slug:
        network = Network.objects.filter(slug=slug[:80]).first()
    try:
        municipality = int(params.get("municipality") or 0)
    except ValueError:
        municipality = 0
    type_ = params.get("type", "")
    return OrganisationFilters(
        q=(params.get("q") or "").replace("\x00", "").strip()[:100],
        type=type_ if type_ in Organisation.Type.values else "",
        municipality=municipality if 0 < municipality < 2**31 else None,
        network=network,
        include_inactive=params.get("inactive") == "1",
    )
