"""The public guidance page: a front-line worker describes a client's need and finds the
offerings that fit, with why each fits, whom to contact and how to take part."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kotoverkko.codelists.models import Municipality

from .guidance import guidance_search, need_build, understood
from .languages import LANGUAGES, language_choices
from .models import ClientGroup, PathStage, TimeOfDay

MAX_NEED_LENGTH = 500


def municipality_choices() -> list[tuple[str, str]]:
    """(code, name in the reader's language), by name."""
    rows = Municipality.objects.order_by("code").values_list("code", "name")
    return sorted(rows, key=lambda row: row[1])


def group_choices() -> list[tuple[str, str]]:
    return list(ClientGroup.objects.filter(active=True).values_list("code", "name"))


class GuidanceForm(forms.Form):
    """The need: free text and picks. Every pick is checked against what exists, so a stale
    address gets a message instead of an error page."""

    q = forms.CharField(
        label=_("Describe the need"),
        help_text=_(
            "For example: Arabic-speaking mother in Kemi wants to practise Finnish in the evenings."
        ),
        max_length=MAX_NEED_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Make the description at most %(limit_value)d characters long.")
        },
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    group = forms.ChoiceField(label=_("Client group"), required=False)
    stage = forms.ChoiceField(label=_("Place in the path"), required=False)
    time = forms.ChoiceField(label=_("When"), required=False)

    def __init__(self, data=None):
        super().__init__(data)
        any_ = [("", _("Any"))]
        self.fields["municipality"].choices = any_ + municipality_choices()
        self.fields["language"].choices = any_ + language_choices()
        self.fields["group"].choices = any_ + group_choices()
        self.fields["stage"].choices = any_ + list(PathStage.choices)
        self.fields["time"].choices = any_ + list(TimeOfDay.choices)
        for name in ("municipality", "language", "group", "stage", "time"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "There is no such choice: “%(value)s”. Choose one from the list."
            )

    def clean_q(self) -> str:
        value = self.cleaned_data.get("q") or ""
        if "\x00" in value:
            raise forms.ValidationError(_("The text contains a character that is not allowed."))
        return " ".join(value.split())

    def clean_municipality(self) -> Municipality | None:
        code = self.cleaned_data.get("municipality")
        if not code:
            return None
        return Municipality.objects.select_related("region").get(code=code)


def need_from(data: dict):
    return need_build(
        text=data.get("q") or "",
        municipality=data.get("municipality"),
        language=data.get("language") or "",
        group=data.get("group") or "",
        stage=data.get("stage") or "",
        time=data.get("time") or "",
    )


@require_GET
def guidance_page(request):
    form = GuidanceForm(request.GET or None)
    context = {"form": form, "found": None, "understood": [], "languages": LANGUAGES}
    if form.is_bound and not form.is_valid():
        return render(request, "tray/guidance/guidance.html", context, status=400)
    if form.is_bound:
        need = need_from(form.cleaned_data)
        if not need.is_empty:
            context["found"] = guidance_search(need)
            context["understood"] = understood(need)
    return render(request, "tray/guidance/guidance.html", context)
