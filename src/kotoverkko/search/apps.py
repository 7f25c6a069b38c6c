from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# News become searchable on their publish date; a check every hour is close enough.
NEWS_CHECK_SECONDS = 60 * 60
SIMILAR_RECOMPUTE_SECONDS = 24 * 60 * 60


class SearchConfig(AppConfig):
    name = "kotoverkko.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from kotoverkko.common.scheduler import schedule

        from . import checks  # noqa: F401 - registers the analyser's system check
        from .sources import register
        from .tasks import news_index_published, similar_recompute_everything

        register()
        schedule("search-news", every_seconds=NEWS_CHECK_SECONDS, task=news_index_published)
        schedule(
            "search-similar",
            every_seconds=SIMILAR_RECOMPUTE_SECONDS,
            task=similar_recompute_everything,
        )
