"""Pages of the tray's analysis: a network's coverage, overlaps, gaps and stale entries for its
coordinators, the expectations they measure gaps against, the matrix as a spreadsheet, and
the one-click confirmation of an offering from a reminder."""

import math

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotoverkko.common.forms import apply_service_errors
from kotoverkko.common.permissions import require
from kotoverkko.common.spreadsheets import write_csv, write_xlsx
from kotoverkko.network.models import Network
from kotoverkko.network.roles import roles_for
from kotoverkko.network.selectors import network_get

from . import analysis, services
from .languages import language_choices, language_name
from .models import Category, ClientGroup, Expectation

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _network_to_coordinate(request, slug: str) -> Network:
    try:
        network = network_get(slug=slug)
    except Network.DoesNotExist as exc:
        raise Http404 from exc
    require(request.user, "tray.coordinate", network)
    return network


# The chart ----------------------------------------------------------------------------------

CELL_WIDTH = 44
CELL_HEIGHT = 28
LABEL_WIDTH = 170
HEADER_HEIGHT = 150
LABEL_CHARACTERS = 24
# Light to dark; the text on each is chosen for contrast.
SHADES = [
    ("#e8f1fa", "#1b1f24"),
    ("#c6dbef", "#1b1f24"),
    ("#8fbde0", "#1b1f24"),
    ("#2f76b8", "#ffffff"),
    ("#08306b", "#ffffff"),
]
EMPTY = ("#ffffff", "#5a6570")


def _short(text: str, limit: int = LABEL_CHARACTERS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def heat_chart(matrix: analysis.CoverageMatrix, *, element_id: str) -> dict:
    """The geometry of a heat chart of the matrix, drawn as SVG by the template: one cell per
    municipality and column, darker for more offerings, the count written in it."""
    maximum = matrix.maximum
    columns = [
        {
            "label": _short(column.label),
            "x": LABEL_WIDTH + index * CELL_WIDTH + CELL_WIDTH // 2,
        }
        for index, column in enumerate(matrix.columns)
    ]
    rows = []
    for row_index, row in enumerate(matrix.rows):
        y = HEADER_HEIGHT + row_index * CELL_HEIGHT
        cells = []
        for index, count in enumerate(row.counts):
            if count and maximum:
                step = min(len(SHADES) - 1, math.ceil(count / maximum * len(SHADES)) - 1)
                fill, ink = SHADES[step]
            else:
                fill, ink = EMPTY
            cells.append(
                {
                    "x": LABEL_WIDTH + index * CELL_WIDTH,
                    "text_x": LABEL_WIDTH + index * CELL_WIDTH + CELL_WIDTH // 2,
                    "count": count,
                    "fill": fill,
                    "ink": ink,
                }
            )
        rows.append(
            {
                "label": _short(str(row.municipality)),
                "y": y,
                "text_y": y + CELL_HEIGHT // 2 + 5,
                "cells": cells,
            }
        )
    return {
        "id": element_id,
        "width": LABEL_WIDTH + max(1, len(matrix.columns)) * CELL_WIDTH + 40,
        "height": HEADER_HEIGHT + max(1, len(matrix.rows)) * CELL_HEIGHT + 4,
        "header_y": HEADER_HEIGHT - 8,
        "label_x": LABEL_WIDTH - 8,
        "cell_width": CELL_WIDTH,
        "cell_height": CELL_HEIGHT,
        "columns": columns,
        "rows": rows,
    }


# Pages --------------------------------------------------------------------------------------


@login_required
@require_GET
def analysis_index(request):
    """The networks whose analysis the user may see."""
    coordinated = roles_for(request.user).coordinates
    networks = Network.objects.filter(pk__in=coordinated).order_by("name")
    return render(request, "tray/analysis/index.html", {"networks": networks})


@login_required
@require_GET
def network_analysis(request, slug: str):
    network = _network_to_coordinate(request, slug)
    result = analysis.network_analysis(network=network)
    stale = list(analysis.stale_offerings(network=network))
    context = {
        "network": network,
        "result": result,
        "chart": heat_chart(result.coverage, element_id="coverage-chart"),
        "language_chart": heat_chart(result.coverage_by_language, element_id="language-chart"),
        "stale": stale,
        "stale_before": analysis.stale_before(),
    }
    response = render(request, "tray/analysis/network.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def coverage_export(request, slug: str, fmt: str):
    """The coverage matrix (by category, or by language with ?by=language) as CSV or XLSX."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    network = _network_to_coordinate(request, slug)
    by_language = request.GET.get("by") == "language"
    matrix = analysis.coverage_matrix(network=network, by_language=by_language)
    header, rows = matrix.table()
    title = _("Coverage by language") if by_language else _("Coverage by category")
    content = write_xlsx(header, rows, title=title) if fmt == "xlsx" else write_csv(header, rows)
    kind = "languages" if by_language else "categories"
    filename = f"{network.slug}-coverage-{kind}-{timezone.localdate().isoformat()}.{fmt}"
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


class ExpectationForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.none(), empty_label=None
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        help_text=gettext_lazy("Leave empty if any language will do."),
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("Client group"),
        queryset=ClientGroup.objects.none(),
        required=False,
        empty_label=gettext_lazy("anyone"),
        help_text=gettext_lazy("An offering for everyone meets an expectation for a group."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(active=True)
        self.fields["group"].queryset = ClientGroup.objects.filter(active=True)
        self.fields["language"].choices = [("", _("any language")), *language_choices()]


@login_required
@require_http_methods(["GET", "POST"])
def expectations(request, slug: str):
    """What every municipality of the network's area is expected to have."""
    network = _network_to_coordinate(request, slug)
    form = ExpectationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                analysis.expectation_add(actor=request.user, network=network, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The expectation was added."))
                return redirect("tray:analysis_expectations", slug=network.slug)
        status = 400
    rows = analysis.expectations_of(network=network)
    for row in rows:
        row.language_label = language_name(row.language) if row.language else ""
    context = {"network": network, "form": form, "expectations": rows}
    return render(request, "tray/analysis/expectations.html", context, status=status)


@login_required
@require_POST
def expectation_remove(request, slug: str, pk: int):
    network = _network_to_coordinate(request, slug)
    expectation = Expectation.objects.filter(network=network, pk=pk).first()
    if expectation is None:
        raise Http404
    analysis.expectation_remove(actor=request.user, expectation=expectation)
    messages.success(request, _("The expectation was removed."))
    return redirect("tray:analysis_expectations", slug=network.slug)


@require_http_methods(["GET", "POST"])
def offering_confirm(request, token: str):
    """A reminder's one-click link: the page shows the offering and a button, and only the
    button confirms it (mail scanners open links, they do not press buttons)."""
    try:
        link = analysis.confirm_link_read(token)
    except ValidationError as error:
        context = {"error": " ".join(error.messages), "offering": None}
        return render(request, "tray/analysis/confirm.html", context, status=400)
    offering = link.offering
    if request.method == "POST" and not offering.archived:
        actor = link.person.user if link.person is not None and link.person.user else request.user
        services.offering_confirm(actor=actor, offering=offering)
        messages.success(
            request,
            _("Thank you. “%(title)s” is confirmed as up to date.") % {"title": offering.title},
        )
        return redirect(reverse("tray:analysis_confirm", kwargs={"token": token}))
    context = {
        "offering": offering,
        "person": link.person,
        "confirmed_today": offering.confirmed_on >= timezone.localdate(),
        "error": "",
    }
    response = render(request, "tray/analysis/confirm.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response
