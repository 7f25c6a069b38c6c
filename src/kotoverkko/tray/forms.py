"""Forms of the tray's pages: an offering, the filters of the lists, a wish and its answers."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.codelists.models import ServiceClass
from kotoverkko.network.models import Network, Organisation

from . import selectors
from .languages import language_choices
from .models import Category, Offering, PathStage, TimeOfDay, Wish, WishResponse
from .services import M2M, OFFERING_FIELDS

CONTENT_LANGUAGES = ("fi", "sv", "en")

# Each translated text's label in each language, whole phrases for the translators.
LABELS = {
    "title": (
        gettext_lazy("Title in Finnish"),
        gettext_lazy("Title in Swedish"),
        gettext_lazy("Title in English"),
    ),
    "description": (
        gettext_lazy("Description in Finnish"),
        gettext_lazy("Description in Swedish"),
        gettext_lazy("Description in English"),
    ),
    "how_to_join": (
        gettext_lazy("How to take part, in Finnish"),
        gettext_lazy("How to take part, in Swedish"),
        gettext_lazy("How to take part, in English"),
    ),
    "wish": (
        gettext_lazy("The wish in Finnish"),
        gettext_lazy("The wish in Swedish"),
        gettext_lazy("The wish in English"),
    ),
    "wish_description": (
        gettext_lazy("More about it in Finnish"),
        gettext_lazy("More about it in Swedish"),
        gettext_lazy("More about it in English"),
    ),
}


def _translated(name: str, labels: str, *, long: bool = False) -> dict:
    """The fields `<name>_fi`, `<name>_sv` and `<name>_en` of one translated text."""
    return {
        f"{name}_{code}": forms.CharField(
            label=label,
            required=False,
            max_length=5000 if long else 200,
            widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput,
        )
        for code, label in zip(CONTENT_LANGUAGES, LABELS[labels], strict=True)
    }


def _grouped_categories() -> list:
    groups: dict[str, list] = {}
    for category in selectors.category_list():
        groups.setdefault(category.get_kind_display(), []).append((category.pk, category.name))
    return [("", "–")] + [(str(kind).capitalize(), items) for kind, items in groups.items()]


class OfferingForm(forms.Form):
    """An offering's details, as its organisation's editors fill them in."""

    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.none()
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Municipalities"),
        queryset=Offering.municipalities.field.related_model.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy(
            "Where it is offered. Choose several with Ctrl (or Cmd) held down, or choose a "
            "whole region below."
        ),
    )
    regions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Whole regions"),
        queryset=Offering.regions.field.related_model.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages it is offered in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    groups = forms.ModelMultipleChoiceField(
        label=gettext_lazy("For whom"),
        queryset=Offering.groups.field.related_model.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    path_stages = forms.MultipleChoiceField(
        label=gettext_lazy("Place in the newcomer's path"),
        choices=PathStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    times = forms.MultipleChoiceField(
        label=gettext_lazy("When"),
        choices=TimeOfDay.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost = forms.ChoiceField(
        label=gettext_lazy("Cost"),
        choices=Offering.Cost.choices,
        initial=Offering.Cost.FREE,
        widget=forms.RadioSelect,
    )
    cost_note = forms.CharField(
        label=gettext_lazy("About the cost"), required=False, max_length=200
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"), required=False, max_length=200
    )
    contact_email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), required=False, max_length=40
    )
    url = forms.URLField(label=gettext_lazy("Web page"), required=False, assume_scheme="https")
    service_class = forms.ModelChoiceField(
        label=gettext_lazy("PTV service class"),
        queryset=Offering.service_class.field.related_model.objects.none(),
        required=False,
        help_text=gettext_lazy("Optional: the class the service has in Suomi.fi."),
    )

    def __init__(self, *args, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The translated texts come first, in the order a reader meets them.
        texts = {}
        texts.update(_translated("title", "title"))
        texts.update(_translated("description", "description", long=True))
        texts.update(_translated("how_to_join", "how_to_join", long=True))
        self.fields = {**texts, **self.fields}
        self.fields["category"].queryset = selectors.category_list()
        self.fields["category"].choices = _grouped_categories()
        self.fields["municipalities"].queryset = selectors.municipality_list(language=language)
        self.fields["regions"].queryset = selectors.region_list(language=language)
        self.fields["languages"].choices = language_choices(language)
        self.fields["groups"].queryset = selectors.group_list()
        self.fields["service_class"].queryset = ServiceClass.objects.order_by("code")
        self.fields["service_class"].choices = [("", "–")] + [
            (
                main.name,
                [(main.pk, _("%(name)s, in general") % {"name": main.name})]
                + [(child.pk, child.name) for child in children],
            )
            for main, children in selectors.service_class_groups()
        ]

    def clean(self):
        data = super().clean()
        if not any(data.get(f"title_{code}") for code in CONTENT_LANGUAGES):
            self.add_error("title_fi", _("Give the offering a title in at least one language."))
        return data

    @staticmethod
    def initial_for(offering: Offering) -> dict:
        initial = {name: getattr(offering, name) for name in OFFERING_FIELDS if name not in M2M}
        for name in M2M:
            initial[name] = list(getattr(offering, name).all())
        return initial

    def service_data(self) -> dict:
        """The fields as the tray's services take them."""
        data = dict(self.cleaned_data)
        for name in ("municipalities", "regions", "groups"):
            data[name] = list(data.get(name) or [])
        return data


class OfferingFilterForm(forms.Form):
    """The public tray's filters, by code, so that the addresses read well."""

    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    group = forms.ChoiceField(label=gettext_lazy("For whom"), required=False)
    stage = forms.ChoiceField(label=gettext_lazy("Place in the path"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        municipalities = list(selectors.municipality_list(language=language))
        categories = list(selectors.category_list())
        groups = list(selectors.group_list())
        self.ids = {
            "municipality": {m.code: m.pk for m in municipalities},
            "category": {c.code: c.pk for c in categories},
            "group": {g.code: g.pk for g in groups},
        }
        self.fields["municipality"].choices = everything + [
            (m.code, m.name) for m in municipalities
        ]
        self.fields["category"].choices = everything + [(c.code, c.name) for c in categories]
        self.fields["language"].choices = everything + language_choices(language)
        self.fields["group"].choices = everything + [(g.code, g.name) for g in groups]
        self.fields["stage"].choices = everything + list(PathStage.choices)

    def filters(self, **extra) -> selectors.OfferingFilters:
        data = self.cleaned_data
        return selectors.OfferingFilters(
            municipality=self.ids["municipality"].get(data["municipality"]),
            category=self.ids["category"].get(data["category"]),
            language=data["language"],
            group=self.ids["group"].get(data["group"]),
            stage=data["stage"],
            **extra,
        )


# Wishes -------------------------------------------------------------------------------------


class WishForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )
    network = forms.ModelChoiceField(
        label=gettext_lazy("Network"),
        queryset=Network.objects.none(),
        required=False,
        help_text=gettext_lazy("The network's members see the wish."),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Wish.municipality.field.related_model.objects.none(),
        required=False,
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.none(), required=False
    )

    def __init__(self, *args, organisations, networks, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        texts = {}
        texts.update(_translated("title", "wish"))
        texts.update(_translated("description", "wish_description", long=True))
        self.fields = {"organisation": self.fields.pop("organisation"), **texts, **self.fields}
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by("name_fi", "pk")
        self.fields["network"].queryset = Network.objects.filter(
            pk__in=[network.pk for network in networks]
        ).order_by("name_fi", "pk")
        self.fields["municipality"].queryset = selectors.municipality_list(language=language)
        self.fields["category"].queryset = selectors.category_list()
        self.fields["category"].choices = _grouped_categories()

    def clean(self):
        data = super().clean()
        if not any(data.get(f"title_{code}") for code in CONTENT_LANGUAGES):
            self.add_error("title_fi", _("Write the wish in at least one language."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        return data


class WishFilterForm(forms.Form):
    network = forms.ChoiceField(label=gettext_lazy("Network"), required=False)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, networks, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        municipalities = list(selectors.municipality_list(language=language))
        self.ids = {
            "network": {network.slug: network.pk for network in networks},
            "municipality": {m.code: m.pk for m in municipalities},
        }
        self.fields["network"].choices = everything + [(n.slug, n.name) for n in networks]
        self.fields["municipality"].choices = everything + [
            (m.code, m.name) for m in municipalities
        ]
        self.fields["status"].choices = everything + list(Wish.Status.choices)

    def filters(self) -> selectors.WishFilters:
        data = self.cleaned_data
        return selectors.WishFilters(
            network=self.ids["network"].get(data["network"]),
            municipality=self.ids["municipality"].get(data["municipality"]),
            status=data["status"],
        )


class WishResponseForm(forms.Form):
    """An answer to a wish: the organisation answering and how; the buttons give the kind."""

    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Answering for"), queryset=Organisation.objects.none()
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(choices=WishResponse.Kind.choices, widget=forms.HiddenInput)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by("name_fi", "pk")
        # One of them always answers: the first is chosen until the user picks another.
        self.fields["organisation"].empty_label = None


class WishDoneForm(forms.Form):
    offering = forms.ModelChoiceField(
        label=gettext_lazy("The offering it became"),
        queryset=Offering.objects.none(),
        required=False,
    )

    def __init__(self, *args, wish: Wish, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = selectors.wish_offering_choices(wish=wish)
        self.fields["offering"].label_from_instance = lambda offering: (
            _("%(title)s (%(organisation)s)")
            % {"title": offering.title, "organisation": offering.organisation.name}
        )
