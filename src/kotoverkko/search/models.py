"""The search index: one entry per searchable object, its terms, and the similar entries.

The rows here are a projection of other apps' content, rebuilt at any time by `kotoverkko
reindex`. The full-text structures live beside `search_entry` and are not models:

- SQLite: the FTS5 table `search_fts` (external content over `search_entry`), kept current by
  triggers on `search_entry` (migration 0002). A later migration that makes SQLite rebuild
  `search_entry` (an altered column) drops the triggers with the old table and must create
  them again.
- PostgreSQL: the generated column `search_vector` (title terms weighted A, body terms D)
  with a GIN index (migration 0002).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One searchable object: a document, an event, a news item, an organisation, …"""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("members of the network")

    type = models.CharField(_("type"), max_length=30)
    object_id = models.BigIntegerField(_("object id"))
    # Plain ids rather than foreign keys: the index is a projection that the owners' changes
    # reach through reindexing, and the filtered columns stay ahead of the long texts in
    # SQLite's rows (a column after a long text is read through its overflow pages).
    network_id = models.BigIntegerField(_("network"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    language = models.CharField(_("language"), max_length=5, default="fi")
    year = models.SmallIntegerField(_("year"), null=True, blank=True)
    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    title = models.CharField(_("title"), max_length=300)
    # The title in each language it has, shown in the reader's language where there is one.
    titles = models.JSONField(_("titles by language"), default=dict, blank=True)
    url = models.CharField(_("address"), max_length=500)
    # The beginning of the body, for snippets.
    text = models.TextField(_("text for snippets"), blank=True)
    # The analysed terms, separated by spaces, in the order of the text.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id"], name="search_entry_object"),
        ]
        indexes = [
            models.Index(fields=["network_id", "visibility"], name="search_entry_network"),
            # The year filter's choices are read from this index alone.
            models.Index(fields=["year"], name="search_entry_year"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_id}: {self.title}"


class IndexedTerm(models.Model):
    """How many entries of a type hold a term: the document frequencies of the similarity
    measure, and the vocabulary that query suggestions are chosen from."""

    type = models.CharField(max_length=30)
    term = models.CharField(max_length=60)
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "term"], name="search_indexed_term"),
        ]
        indexes = [models.Index(fields=["term"], name="search_term")]

    def __str__(self) -> str:
        return f"{self.term} ({self.type}: {self.entries})"


class SimilarityVector(models.Model):
    """An entry's tf-idf weights over its strongest terms, normalised to length one."""

    entry = models.OneToOneField(
        Entry, primary_key=True, on_delete=models.CASCADE, related_name="similarity_vector"
    )
    weights = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"vector of {self.entry_id}"


class SimilarEntry(models.Model):
    """One of an entry's most similar entries of the same type (cosine of tf-idf vectors)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="similar")
    other = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["entry", "-score", "other"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "other"], name="search_similar_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} ~ {self.other_id} ({self.score:.3f})"
