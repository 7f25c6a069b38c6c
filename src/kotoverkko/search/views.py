"""The search page: everyone finds public content, members their networks' content too."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import translation

from kotoverkko.network.models import Network

from .forms import SearchForm
from .index import registered_sources
from .selectors import SearchFilters, index_years, search, suggestions

PAGE_SIZE = 20


def network_choices(language: str) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The network filter's choices (slug, name in the language) and the ids by slug."""
    names = ["name_fi"] if language not in ("sv", "en") else [f"name_{language}", "name_fi"]
    rows = Network.objects.order_by("name_fi").values_list("slug", "pk", *names)
    choices = [(slug, next((n for n in found if n), "")) for slug, _pk, *found in rows]
    return choices, {slug: pk for slug, pk, *_names in rows}


def query_string(request, **changes) -> str:
    """The page's own query with some parameters changed (an empty value drops one)."""
    params = {key: value for key, value in request.GET.items() if value}
    params.update(changes)
    return urlencode({key: value for key, value in params.items() if value})


def search_page(request):
    networks, network_ids = network_choices(translation.get_language())
    sources = registered_sources()
    form = SearchForm(
        request.GET,
        types=[(source.type, source.label) for source in sources],
        networks=networks,
        years=index_years(),
    )
    context = {
        "form": form,
        "filter_fields": [form[name] for name in ("type", "network", "language", "year")],
        "results": None,
        "hits": [],
        "suggestions": [],
        "page_query": "",
        "query": "",
    }
    if not form.is_valid():
        return render(request, "search/search.html", context, status=400)
    data = form.cleaned_data
    context["query"] = data["q"]
    if not data["q"]:
        return render(request, "search/search.html", context)
    filters = SearchFilters(
        type=data["type"],
        network=network_ids.get(data["network"]),
        organisation=data["organisation"],
        language=data["language"],
        year=data["year"],
    )
    results = search(
        data["q"], user=request.user, filters=filters, page=data["page"] or 1, per_page=PAGE_SIZE
    )
    labels = {source.type: source.label for source in sources}
    context["results"] = results
    context["hits"] = [(hit, labels.get(hit.type, hit.type)) for hit in results.hits]
    context["page_query"] = query_string(request, page="")
    if not results.total and results.query:
        context["suggestions"] = [
            (suggestion, query_string(request, q=suggestion.query, page=""))
            for suggestion in suggestions(data["q"], request.user, filters=filters)
        ]
    return render(request, "search/search.html", context)
