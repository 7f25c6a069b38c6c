"""Forms of the library's pages: adding and changing a document, filtering the list."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.common import uploads
from kotoverkko.network.models import Network, Organisation

from .models import LANGUAGE_CHOICES, Document

KIND_LABELS = {
    "pdf": "PDF",
    "pptx": "PowerPoint",
    "docx": "Word",
    "odt": "OpenDocument Text",
    "odp": "OpenDocument Presentation",
    "txt": gettext_lazy("Plain text"),
    "md": "Markdown",
}


class DocumentForm(forms.Form):
    """The document's details; with `with_file`, the file too (adding a document)."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, PowerPoint, Word, OpenDocument, plain text or Markdown."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the document"), choices=LANGUAGE_CHOICES
    )
    title_fi = forms.CharField(
        label=gettext_lazy("Title in Finnish"), required=False, max_length=300
    )
    title_sv = forms.CharField(
        label=gettext_lazy("Title in Swedish"), required=False, max_length=300
    )
    title_en = forms.CharField(
        label=gettext_lazy("Title in English"), required=False, max_length=300
    )
    description_fi = forms.CharField(
        label=gettext_lazy("Description in Finnish"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_sv = forms.CharField(
        label=gettext_lazy("Description in Swedish"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description in English"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    date = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("When it was presented or published."),
    )
    speaker = forms.CharField(
        label=gettext_lazy("Speaker or author"), required=False, max_length=200
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Organisation"), required=False, coerce=int, empty_value=None
    )
    keywords = forms.CharField(
        label=gettext_lazy("Keywords"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Separated by commas."),
    )
    network = forms.TypedChoiceField(label=gettext_lazy("Network"), coerce=int, empty_value=None)
    item = forms.TypedChoiceField(
        label=gettext_lazy("Agenda item"), required=False, coerce=int, empty_value=None
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may read it"),
        choices=Document.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Document.Visibility.PUBLIC,
    )

    def __init__(
        self,
        *args,
        networks: list[Network],
        organisations: list[Organisation],
        event=None,
        items=(),
        with_file: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.checked: uploads.CheckedUpload | None = None
        self.event = event
        self.networks = {network.pk: network for network in networks}
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        self.items = {item.pk: item for item in items}
        if not with_file:
            del self.fields["file"]
        self.fields["network"].choices = [(n.pk, n.name) for n in networks]
        self.fields["organisation"].choices = [("", "–")] + [(o.pk, o.name) for o in organisations]
        if event is None:
            del self.fields["item"]
        else:
            # The event decides the network; its items are offered.
            del self.fields["network"]
            self.fields["item"].choices = [("", _("The whole event"))] + [
                (item.pk, item.title) for item in items
            ]
            if not event.is_public:
                del self.fields["visibility"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = uploads.upload_check(upload, name=upload.name or "")
        return upload

    def clean_network(self):
        pk = self.cleaned_data["network"]
        if pk not in self.networks:
            raise forms.ValidationError(_("Choose one of your networks."))
        return self.networks[pk]

    def clean_organisation(self):
        pk = self.cleaned_data["organisation"]
        if pk is None:
            return None
        if pk not in self.organisations:
            raise forms.ValidationError(_("Choose an organisation from the list."))
        return self.organisations[pk]

    def clean_item(self):
        pk = self.cleaned_data["item"]
        return self.items[pk] if pk else None

    def clean(self):
        data = super().clean()
        with_titles = [code for code, _label in LANGUAGE_CHOICES if data.get(f"title_{code}")]
        if not with_titles and "file" not in self.fields:
            self.add_error("title_fi", _("Give the document a title in at least one language."))
        return data

    def service_data(self) -> dict:
        """The fields as the library's services take them."""
        data = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name != "file" and name in self.cleaned_data
        }
        if self.event is not None:
            data["event"] = self.event
        return data


class DocumentFilterForm(forms.Form):
    network = forms.ChoiceField(label=gettext_lazy("Network"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("File type"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, networks, years, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["network"].choices = everything + list(networks)
        self.fields["language"].choices = everything + list(LANGUAGE_CHOICES)
        self.fields["kind"].choices = everything + list(KIND_LABELS.items())
        self.fields["year"].choices = everything + [(str(y), str(y)) for y in years]
