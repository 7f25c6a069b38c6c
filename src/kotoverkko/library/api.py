"""The API of the materials library (/api/v1/documents/): the documents a user may see, one
document with its transcript, uploads, changes, removal and similar documents.

Who sees what follows the pages: everyone sees public documents, members the members-only
documents of their networks. A document the user may not see is a 404, one she may see but not
change is a 403. An upload is checked by its content (kotoverkko.common.uploads) before
anything is stored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.api.common import Pagination, SlugRelatedField, require_can, service_errors
from kotoverkko.common.permissions import user_can
from kotoverkko.common.uploads import KINDS, upload_check
from kotoverkko.events.models import AgendaItem, Event
from kotoverkko.events.selectors import event_list_visible
from kotoverkko.network.api import OrganisationBriefOutputSerializer, TranslatedField
from kotoverkko.network.models import LANGUAGE_CHOICES, Network, Organisation
from kotoverkko.search.selectors import similar_for

from . import selectors, services
from .extraction import REASONS
from .models import Document
from .search import DOCUMENT

SIMILAR_LIMIT = 10


def _named_choice_field(component: str, choices: list[tuple[str, str]]):
    """A choice field that is its own schema component, not mixed with others of one name
    (an event's visibility or a network's kind)."""

    @extend_schema_field(
        {"type": "string", "enum": [value for value, _label in choices]}, component_name=component
    )
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    NamedChoiceField.__name__ = NamedChoiceField.__qualname__ = f"{component}Field"
    return NamedChoiceField


DocumentVisibilityField = _named_choice_field("DocumentVisibilityEnum", Document.Visibility.choices)
DocumentExtractionField = _named_choice_field("DocumentExtractionEnum", Document.Extraction.choices)
DocumentKindField = _named_choice_field(
    "DocumentKindEnum", [(code, kind.extension) for code, kind in KINDS.items()]
)


# Output --------------------------------------------------------------------------------------


class ByLanguageField(TranslatedField):
    """A translated model field in every language, under another name than the field's own."""

    def __init__(self, model_field: str, **kwargs):
        self.model_field = model_field
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return {
            code: getattr(instance, f"{self.model_field}_{code}", None) or None
            for code in settings.MODELTRANSLATION_LANGUAGES
        }


class DocumentEventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = TranslatedField()


class DocumentOutputSerializer(serializers.Serializer):
    """A document as the list shows it, without its transcript."""

    id = serializers.IntegerField()
    title = serializers.CharField(
        help_text="In the language asked for, or in another where it has none."
    )
    titles = ByLanguageField("title")
    description = serializers.CharField(help_text="In the language asked for, or another.")
    descriptions = ByLanguageField("description")
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, help_text="The language the document is written in."
    )
    date = serializers.DateField(allow_null=True, help_text="When it was presented or written.")
    speaker = serializers.CharField()
    keywords = serializers.ListField(child=serializers.CharField(), source="keyword_list")
    visibility = DocumentVisibilityField()
    network = serializers.SlugField(source="network.slug", allow_null=True)
    organisation = OrganisationBriefOutputSerializer(allow_null=True)
    event = DocumentEventOutputSerializer(allow_null=True)
    item = serializers.IntegerField(
        source="item_id", allow_null=True, help_text="The agenda item of the event."
    )
    file_name = serializers.CharField(
        source="original_name", help_text='The name it is downloaded with; "" without a file.'
    )
    kind = serializers.CharField(
        help_text='pdf, pptx, docx, odt, odp, txt or md, by the file\'s content; "" without a file.'
    )
    size = serializers.IntegerField(help_text="Bytes.")
    extraction = DocumentExtractionField(help_text="Whether the file's text has been read.")
    extraction_reason = serializers.CharField(
        help_text="Why the text could not be read (unreadable, encrypted, no_text, too_large, "
        'timed_out), or "".'
    )
    extraction_message = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    uploaded_at = serializers.DateTimeField()

    def _absolute(self, name: str, pk: int) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, kwargs={"pk": pk}))

    @extend_schema_field(serializers.CharField(help_text='The reason said to a person, or "".'))
    def get_extraction_message(self, document: Document) -> str:
        reason = REASONS.get(document.extraction_reason)
        return str(reason) if reason else ""

    @extend_schema_field(serializers.URLField(help_text="The document's page."))
    def get_url(self, document: Document) -> str:
        return self._absolute("library:document_detail", document.pk)

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="Null without a file."))
    def get_download_url(self, document: Document) -> str | None:
        if not document.has_file:
            return None
        return self._absolute("library:document_download", document.pk)


class DocumentDetailOutputSerializer(DocumentOutputSerializer):
    """A document with its transcript."""

    text = serializers.CharField(
        help_text='The transcript: the text read from the file, or "" until it is read.'
    )


class SimilarDocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="In the language asked for, where there is one.")
    score = serializers.FloatField(help_text="Between 0 and 1; higher is more similar.")
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(help_text="The document's page."))
    def get_url(self, hit) -> str:
        return self.context["request"].build_absolute_uri(hit.url)


# Input ---------------------------------------------------------------------------------------


class DocumentFilterSerializer(serializers.Serializer):
    network = SlugRelatedField(
        slug_field="slug",
        queryset=Network.objects.all(),
        required=False,
        help_text="This network and those below it (slug).",
    )
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    kind = DocumentKindField(required=False)
    year = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2200,
        help_text="By the document's date, or the upload when it has none.",
    )
    event = serializers.IntegerField(required=False, min_value=1, help_text="The event's id.")

    def filters(self) -> selectors.DocumentFilters:
        given = self.validated_data
        network = given.get("network")
        return selectors.DocumentFilters(
            network=network.pk if network else None,
            language=given.get("language", ""),
            kind=given.get("kind", ""),
            year=given.get("year"),
            event=given.get("event"),
        )


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "A list of words, or one text with the words separated by commas.",
    }
)
class KeywordsField(serializers.ListField):
    """Keywords as a list, or as one text separated by commas (as a form sends them)."""

    child = serializers.CharField(allow_blank=True, max_length=500)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data]
        words = super().to_internal_value(data)
        return [word for text in words for word in text.split(",")]


def _text(max_length: int | None = None, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=max_length, trim_whitespace=True, **kwargs
    )


class DocumentUpdateInputSerializer(serializers.Serializer):
    """The fields of a document; a change gives the fields to change. A title goes either per
    language (`title_fi`, `title_sv`, `title_en`) or as `title` in the document's `language`;
    the same for the description."""

    title = _text(300, help_text="The title in the document's language.")
    title_fi = _text(300)
    title_sv = _text(300)
    title_en = _text(300)
    description = _text(help_text="The description in the document's language.")
    description_fi = _text()
    description_sv = _text()
    description_en = _text()
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text="The language the document is written in.",
    )
    date = serializers.DateField(required=False, allow_null=True)
    speaker = _text(200)
    keywords = KeywordsField(required=False)
    visibility = DocumentVisibilityField(
        required=False, help_text="A document of an event that is not public is for members."
    )
    network = SlugRelatedField(
        slug_field="slug",
        queryset=Network.objects.all(),
        required=False,
        allow_null=True,
        help_text="The network (slug); an event's document is in the event's network.",
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.none(),
        required=False,
        allow_null=True,
        help_text="The event whose materials the document is.",
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.none(),
        required=False,
        allow_null=True,
        help_text="An agenda item of the event; the item alone names its event too.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if request := self.context.get("request"):
            events = event_list_visible(user=request.user)
            self.fields["event"].queryset = events
            self.fields["item"].queryset = AgendaItem.objects.filter(
                event__in=events
            ).select_related("event")

    def validate(self, attrs):
        item = attrs.get("item")
        if item is not None and "event" not in attrs:
            attrs["event"] = item.event
        return attrs

    def service_data(self, *, language: str) -> dict:
        """The validated fields as the services take them; `language` is the document's when
        the input does not give one."""
        data = dict(self.validated_data)
        data.pop("file", None)
        language = data.get("language") or language
        for name in ("title", "description"):
            if name in data:
                data.setdefault(f"{name}_{language}", data.pop(name))
        return data


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """The file itself, sent as multipart form data."""


class DocumentUploadInputSerializer(DocumentUpdateInputSerializer):
    file = UploadField(
        allow_empty_file=True,
        max_length=None,
        help_text="PDF, PowerPoint (PPTX), Word (DOCX), OpenDocument (ODT, ODP), plain text "
        "or Markdown, judged by its content. Without a title the file's name is the title.",
    )


# Helpers -------------------------------------------------------------------------------------


def _visible_document(request: Request, pk: int) -> Document:
    """The document, if the user may see it; 404 otherwise, so ids reveal nothing."""
    documents = selectors.document_list_visible(user=request.user).select_related(
        "network", "organisation", "event"
    )
    return get_object_or_404(documents, pk=pk)


def _document_data(request: Request, pk: int) -> dict:
    """The document as it is now, even if a change just took it out of the user's sight."""
    document = selectors.document_get(pk=pk)
    return DocumentDetailOutputSerializer(document, context={"request": request}).data


def _require_placement(user, data: dict, current: Document | None = None) -> None:
    """The user may put a document where the data puts it: into the event's materials, and
    into the network's library where that is not the event's."""
    event = data.get("event", current.event if current else None)
    network = data.get("network", current.network if current else None)
    if event is not None and (current is None or event.pk != current.event_id):
        require_can(
            user,
            "document.add_to_event",
            event,
            _("You cannot add documents to this event's materials."),
        )
    if network is not None and (
        (current is None or network.pk != current.network_id)
        and (event is None or network.pk != event.network_id)
    ):
        require_can(
            user, "document.add", network, _("You cannot add documents to this network's library.")
        )
    placed = event is not None or network is not None
    if current is None and not placed and not user_can(user, "document.add", None):
        raise serializers.ValidationError(
            {"network": [_("Give the network or the event the document belongs to.")]}
        )


def _filters(request: Request) -> DocumentFilterSerializer:
    """The query parameters, validated; empty ones count as not given."""
    given = {key: value for key, value in request.query_params.items() if value.strip()}
    serializer = DocumentFilterSerializer(data=given)
    serializer.is_valid(raise_exception=True)
    return serializer


# Endpoints -----------------------------------------------------------------------------------


class DocumentListApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Pagination
    parser_classes = [MultiPartParser]
    serializer_class = DocumentOutputSerializer

    @extend_schema(
        summary="Documents",
        description="The library's documents the user may see, newest first: public ones for "
        "everyone, members-only ones for the members of their network. Without transcripts.",
        parameters=[DocumentFilterSerializer],
        responses=DocumentOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        documents = selectors.document_list(user=request.user, filters=_filters(request).filters())
        page = self.paginate_queryset(documents)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Upload a document",
        description="For the members of the document's network, or of the event's network for "
        "its materials. The text is read from the file afterwards: `extraction` is `pending` "
        "until then.",
        request={"multipart/form-data": DocumentUploadInputSerializer},
        responses={201: DocumentDetailOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = DocumentUploadInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        default_language = Document._meta.get_field("language").get_default()
        data = serializer.service_data(language=default_language)
        _require_placement(request.user, data)
        upload = serializer.validated_data["file"]
        try:
            checked = upload_check(upload, name=upload.name or "")
        except DjangoValidationError as error:
            raise serializers.ValidationError({"file": error.messages}) from error
        with service_errors():
            document = services.document_upload(
                actor=request.user, upload=upload, checked=checked, data=data
            )
        return Response(_document_data(request, document.pk), status=status.HTTP_201_CREATED)


class DocumentDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = DocumentDetailOutputSerializer

    @extend_schema(summary="A document with its transcript")
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(_visible_document(request, pk)).data)

    @extend_schema(
        summary="Change a document",
        description="For whoever added it, the network's coordinators and the event's planners.",
        request=DocumentUpdateInputSerializer,
        responses={200: DocumentDetailOutputSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        document = _visible_document(request, pk)
        require_can(
            request.user, "document.change", document, _("You cannot change this document.")
        )
        serializer = DocumentUpdateInputSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.service_data(language=document.language)
        _require_placement(request.user, data, current=document)
        with service_errors():
            services.document_update(actor=request.user, document=document, data=data)
        return Response(_document_data(request, pk))

    @extend_schema(summary="Remove a document and its file", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        document = _visible_document(request, pk)
        require_can(
            request.user, "document.change", document, _("You cannot remove this document.")
        )
        with service_errors():
            services.document_delete(actor=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SimilarDocumentsApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = None
    serializer_class = SimilarDocumentOutputSerializer

    @extend_schema(
        summary="Similar documents",
        description="Up to ten documents the user may see whose words are most like this "
        "one's, most similar first.",
        responses=SimilarDocumentOutputSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        document = _visible_document(request, pk)
        hits = similar_for(
            type=DOCUMENT, object_id=document.pk, user=request.user, limit=SIMILAR_LIMIT
        )
        return Response(self.get_serializer(hits, many=True).data)
