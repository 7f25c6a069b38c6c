"""The system check that tells which analyser Finnish text gets (`kotoverkko check`)."""

from django.core import checks

from .analyser import analyser_status


@checks.register("search")
def voikko_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    status = analyser_status()
    if status.voikko:
        return []
    return [
        checks.Warning(
            "Finnish text is searched without Voikko: " + status.detail + ".",
            hint=(
                "Install the Debian packages libvoikko1 and voikko-fi and the Python package "
                "libvoikko, then run `kotoverkko reindex`."
            ),
            id="search.W001",
        )
    ]
