"""Background work of the library; each task is safe to run twice."""

from django_tasks import task

from . import services


@task()
def document_extract(document_id: int) -> str:
    """Read a document's text (in a child process with limits) and store it."""
    return services.document_extract(document_id)


@task()
def documents_pending_requeue() -> int:
    """Queue again the reading of documents whose task was lost."""
    return services.documents_pending_requeue()
