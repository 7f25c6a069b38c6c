"""Background work of the search index. Each task only calls the index's functions and is
safe to run twice: it brings the index in line with the data as it is when it runs."""

from django_tasks import task

from . import index, similar, sources


@task()
def entry_refresh(type: str, object_id: int) -> bool:
    """Index one object as it is now (or take it out when it is gone or hidden)."""
    return index.index_object_refresh(type, object_id)


@task()
def similar_recompute(type: str, object_id: int) -> int:
    return similar.similar_recompute(type, object_id)


@task()
def similar_recompute_all(type: str) -> int:
    return similar.similar_recompute_all(type)


@task()
def similar_recompute_everything() -> int:
    """Every kind with similar entries, in full: the daily catch-up of the changes made one by
    one. Returns the number of entries."""
    return sum(
        similar.similar_recompute_all(source.type)
        for source in index.registered_sources()
        if source.similar
    )


@task()
def news_index_published() -> int:
    """Index the news whose publish date has come."""
    return sources.news_index_published()
