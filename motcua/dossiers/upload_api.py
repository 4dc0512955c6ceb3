"""``/api/v1/uploads/``: resumable uploads for citizens' clients (docs/uploads.md), tus-like:
``POST`` declares the file (name, length), ``PATCH`` sends a piece at ``Upload-Offset``,
``HEAD``/``GET`` tell the offset reached after a broken connection, ``DELETE`` gives up. A
complete upload is named by its token in ``POST /api/v1/dossiers/submit/``
(``checklist[].upload``). Citizens' accounts only; another account's upload is a 404."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from motcua.accounts.models import User
from motcua.accounts.registration import is_portal_account
from motcua.dossiers import uploads
from motcua.dossiers.draft_models import Upload
from motcua.errors import REFUSALS, invalid, refusal_body, refusal_status
from motcua.limits import error_responses

OFFSET_HEADER = "Upload-Offset"
# A piece is at most this long: the API's body limit (DATA_UPLOAD_MAX_MEMORY_SIZE) less room.
MAX_PIECE = 4 * 2**20


class CitizenOnly(permissions.BasePermission):
    message = "Resumable uploads are for citizens' accounts."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, User) and is_portal_account(user)


class NewUploadSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=255, help_text="the file's name (its extension)")
    length = serializers.IntegerField(min_value=1, help_text="the whole file's size in bytes")


class UploadSerializer(serializers.ModelSerializer[Upload]):
    url = serializers.SerializerMethodField()
    complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = Upload
        fields = ["token", "url", "name", "length", "offset", "complete", "content_type",
                  "sha256", "expires_at"]  # fmt: skip

    def get_url(self, obj: Upload) -> str:
        return f"/api/v1/uploads/{obj.token}/"


def _answer(upload: Upload, code: int = status.HTTP_200_OK) -> Response:
    response = Response(UploadSerializer(upload).data, status=code)
    response[OFFSET_HEADER] = str(upload.offset)
    response["Upload-Length"] = str(upload.length)
    response["Cache-Control"] = "no-store"
    return response


def _offset(request: Request) -> int:
    text = request.headers.get(OFFSET_HEADER, "")
    if not text.isdigit() or len(text) > 15:
        message = "Upload-Offset: the number of bytes already sent (from HEAD)."
        raise invalid("upload_offset_required", message, OFFSET_HEADER)
    return int(text)


OFFSET_PARAMETER = OpenApiParameter(
    OFFSET_HEADER, int, OpenApiParameter.HEADER, required=True,
    description="where this piece starts: the offset the server last confirmed",
)  # fmt: skip


class UploadViewSet(viewsets.ViewSet):
    """Resumable uploads of the signed-in citizen."""

    permission_classes = [permissions.IsAuthenticated, CitizenOnly]
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_-]{16,64}"

    def _mine(self, request: Request, token: str) -> Upload:
        assert isinstance(request.user, User)  # noqa: S101 - CitizenOnly
        found = uploads.upload_of(request.user, token)
        if found is None:
            raise Http404(token)
        return found

    @extend_schema(
        request=NewUploadSerializer,
        responses={201: UploadSerializer, **error_responses(400, 403)},
    )
    def create(self, request: Request) -> Response:
        """Declare a file: its name and length (at most the upload limit)."""
        payload = NewUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assert isinstance(request.user, User)  # noqa: S101 - CitizenOnly
        try:
            upload = uploads.start_upload(request.user, **payload.validated_data)
        except REFUSALS as exc:
            return Response(refusal_body(exc), status=refusal_status(exc))
        response = _answer(upload, status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/uploads/{upload.token}/"
        return response

    @extend_schema(responses={200: UploadSerializer, **error_responses(403, 404)})
    def retrieve(self, request: Request, token: str) -> Response:
        """Where the upload stands (``Upload-Offset``); ``HEAD`` answers the headers only."""
        return _answer(self._mine(request, token))

    @extend_schema(
        request={"application/offset+octet-stream": bytes},
        responses={200: UploadSerializer, **error_responses(400, 403, 404, 409)},
        parameters=[OFFSET_PARAMETER],
    )
    def partial_update(self, request: Request, token: str) -> Response:
        """Send the next piece (at most 4 MiB) at ``Upload-Offset``; 409 with the offset
        reached when it is not that. The last piece completes and checks the file."""
        upload = self._mine(request, token)
        try:
            offset = _offset(request)
            data = _piece(request)
            upload = uploads.append(upload, offset=offset, data=data)
        except REFUSALS as exc:
            response = Response(refusal_body(exc), status=refusal_status(exc))
            current = Upload.objects.filter(pk=upload.pk).values_list("offset", flat=True)
            response[OFFSET_HEADER] = str(current.first() or 0)
            return response
        return _answer(upload)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, token: str) -> Response:
        """Give up the upload: its pieces and file are deleted."""
        uploads.forget(self._mine(request, token))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _piece(request: Request) -> bytes:
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_PIECE:
        message = f"A piece is at most {MAX_PIECE} bytes."
        raise invalid("upload_piece_too_large", message, "body")
    body: bytes = request.body
    return body


def register(router: DefaultRouter) -> None:
    router.register("uploads", UploadViewSet, basename="upload")
