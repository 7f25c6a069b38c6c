"""Forms of the workshop pages: the workshop, invitations, follow-up actions, and what an
invited person fills in through her link (an offering of her organisation, a wish)."""

from django import forms
from django.utils.translation import gettext_lazy

from kotoverkko.codelists.models import Municipality
from kotoverkko.network.models import Network, Organisation

from .forms import OfferingForm
from .models import Category

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkshopForm(forms.Form):
    network = forms.ModelChoiceField(
        label=gettext_lazy("Network"), queryset=Network.objects.none(), empty_label=None
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Locality"),
        queryset=Municipality.objects.none(),
        help_text=gettext_lazy("A municipality of the network's area."),
    )
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)

    def __init__(self, *args, networks, area_ids, with_network: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_network:
            self.fields["network"].queryset = networks
        else:
            del self.fields["network"]
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=area_ids
        ).order_by("name")


class InvitationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("Organisations at home in or serving the network's area."),
    )
    name = forms.CharField(label=gettext_lazy("Name of the person"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class FollowUpForm(forms.Form):
    what = forms.CharField(label=gettext_lazy("What"), max_length=300)
    who = forms.CharField(label=gettext_lazy("Who"), max_length=200)
    who_email = forms.EmailField(
        label=gettext_lazy("E-mail for reminders"),
        required=False,
        help_text=gettext_lazy("Without one, the network's coordinators are reminded."),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    due_on = forms.DateField(label=gettext_lazy("By when"), widget=DATE_WIDGET)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def _text(label, *, rows: int = 0, max_length: int = 5000):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)


class WorkshopOfferingForm(OfferingForm):
    """The tray's offering form without the places: an offering added in a workshop is
    offered in its locality, and changing one there leaves its places as they are."""

    PLACES = ("municipalities", "regions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PLACES:
            del self.fields[name]

    def service_data(self) -> dict:
        data = super().service_data()
        for name in self.PLACES:
            data.pop(name, None)
        return data


class WishForm(forms.Form):
    """A wish put forward in the workshop, in the language of the page."""

    title = forms.CharField(label=gettext_lazy("Wish or idea"), max_length=200)
    description = _text(gettext_lazy("More about it"), rows=3)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=Category.objects.filter(active=True),
        required=False,
    )
