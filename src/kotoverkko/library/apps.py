from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REQUEUE_CHECK_SECONDS = 10 * 60


class LibraryConfig(AppConfig):
    name = "kotoverkko.library"
    label = "library"
    verbose_name = _("Materials library")

    def ready(self) -> None:
        from kotoverkko.common.scheduler import schedule

        from . import rules  # noqa: F401 - registers the permission rules
        from .search import register
        from .tasks import documents_pending_requeue

        register()
        schedule(
            "library-requeue", every_seconds=REQUEUE_CHECK_SECONDS, task=documents_pending_requeue
        )
