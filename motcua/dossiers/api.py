"""The dossier API: lists and details with access checks, intake (also with scans and the fee,
``receive_with_scans``), one endpoint per action (``POST /api/v1/dossiers/<code>/actions/
<action>/``) and the bulk actions (``POST /api/v1/dossiers/bulk/<action>/``). Views parse, call
the engine (its action registry, ``actions.py``, or a service), answer."""

import re
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from motcua import limits
from motcua.accounts.models import Agency, User
from motcua.catalogue.models import Case, VersionStatus, position_of_code
from motcua.dossiers import (
    access_log,
    actions,
    documents,
    drafts,
    idempotency,
    intake,
    queries,
    reception,
    recipients,
    serializers,
    uploads,
)
from motcua.dossiers.access_models import AccessKind
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.filters import DossierFilter
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.permissions import actions_for
from motcua.errors import REFUSALS, Refused, invalid, refusal_body, refusal_status
from motcua.limits import BoundedMultiPartParser, error_responses
from motcua.pagination import KeysetPagination

# action name → the serializer parsing its payload; the engine's registry
# (``actions.REGISTRY``) holds its service and who may take it.
PAYLOADS: dict[str, type[serializers.ActionSerializer]] = {
    "receive": serializers.ActionSerializer,
    "forward": serializers.ForwardSerializer,
    "send_back": serializers.ReasonSerializer,
    "transfer": serializers.TransferSerializer,
    "request_supplement": serializers.SupplementSerializer,
    "allow_further_supplement": serializers.ReasonSerializer,
    "resubmit": serializers.NoteSerializer,
    "request_payment": serializers.PaymentRequestSerializer,
    "confirm_payment": serializers.PaymentSerializer,
    "collect_fee": serializers.FeeSerializer,
    "extend": serializers.ExtendSerializer,
    "approve": serializers.ApproveSerializer,
    "return_result": serializers.ReturnSerializer,
    "hand_to_post": serializers.PostSerializer,
    "withdraw": serializers.ReasonSerializer,
    "stop": serializers.ReasonSerializer,
}


# bulk action name → the serializer of its shared payload and the dossiers (``actions.BULK``).
BULK_PAYLOADS: dict[str, type[serializers.ActionSerializer]] = {
    "forward": serializers.BulkForwardSerializer,
    "send_back": serializers.BulkReasonSerializer,
}


def _refusal(exc: Exception) -> Response:
    """A service's refusal as ``{code, message, field?, errors}`` with its status (403 refused,
    409 conflict, 422 a key reused, 400 invalid): ``motcua.errors``, as every API error."""
    return Response(refusal_body(exc), status=refusal_status(exc))


def _answer(call: Callable[[], Dossier], request: Request, created: bool = False) -> Response:
    """Run a service and answer with the dossier, or with the service's refusal."""
    try:
        dossier = call()
    except REFUSALS as exc:
        return _refusal(exc)
    fresh = queries.dossier_for(request.user, dossier.code) if not created else dossier
    body = serializers.DossierDetailSerializer(fresh, context={"request": request}).data
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A key of your choice (a UUID) making the request safe to repeat: a repeat with the "
        "same key and body within 24 hours answers with the first dossier (same status and "
        "body, header Idempotent-Replayed: true), never a second one; the same key with "
        "another body is refused with 422. Keys are per user."
    ),
)


def _intake_once(
    request: Request, key: str, kind: str, data: dict[str, Any], call: Callable[[], Dossier]
) -> Response:
    """``call`` run once per user and ``Idempotency-Key`` (``idempotency.once``)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated

    def create() -> tuple[Dossier, int, Any]:
        dossier = call()
        body = serializers.DossierDetailSerializer(dossier, context={"request": request}).data
        return dossier, status.HTTP_201_CREATED, body

    try:
        answer = idempotency.once(
            f"api:{idempotency.check_key(key)}",
            actor=user,
            fingerprint=idempotency.fingerprint(f"intake:{kind}", data),
            create=create,
        )
    except REFUSALS as exc:
        return _refusal(exc)
    response = Response(answer.body, status=answer.status_code)
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _entered(data: dict[str, Any]) -> tuple[intake.Intake, Agency]:
    """The intake of a validated ``IntakeSerializer`` and its receiving agency."""
    agency = actions.agency_by_code(data["agency"], "agency")
    cases = Case.objects.filter(
        version__procedure__code=data["procedure"], version__status=VersionStatus.PUBLISHED
    ).select_related("version__procedure")
    if data.get("case"):
        cases = cases.filter(code=data["case"])
    case = cases.order_by("code").first()
    if case is None:
        message = "Không có thủ tục / no such procedure or case"
        raise invalid("no_such_procedure", message, "procedure")
    applicant = intake.Applicant(**data["applicant"])
    checklist = [
        intake.ChecklistItem(**_by_code(case, index, item))
        for index, item in enumerate(data.get("checklist", []))
    ]
    entered = intake.Intake(
        case, applicant, data["channel"], checklist,
        return_method=data.get("return_method", ""),
        postal_address=data.get("postal_address", ""),
    )  # fmt: skip
    return entered, agency


def _by_code(case: Case, index: int, item: dict[str, Any]) -> dict[str, Any]:
    """A checklist item naming its document by code (``TP01``, as the catalogue API publishes
    it) as one naming its id; refused (``no_such_document``) when the case has no such code."""
    code = item.get("document") or ""
    rest = {k: v for k, v in item.items() if k not in ("document", "upload")}
    if not code:
        return rest
    position = position_of_code(code)
    found = case.documents.filter(position=position).first() if position else None
    if found is None:
        message = _("The case has no required document %(code)s.") % {"code": code}
        raise invalid("no_such_document", message, f"checklist.{index}.document")
    return {**rest, "required_id": found.pk}


def _uploads(request: Request, entered: intake.Intake, data: dict[str, Any]) -> dict[int, Any]:
    """The complete uploads named in the checklist (``upload``), by required document id."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated
    found: dict[int, Any] = {}
    for index, (item, raw) in enumerate(
        zip(entered.checklist, data.get("checklist", []), strict=True)
    ):
        token = raw.get("upload") or ""
        if not token:
            continue
        upload = uploads.upload_of(user, token)
        if upload is None or not upload.complete or item.required_id is None:
            message = _("No complete upload with this token for a required document.")
            raise invalid("no_such_upload", message, f"checklist.{index}.upload")
        found[item.required_id] = upload
    return found


SCAN_FIELD = re.compile(r"scan_(\d{1,9})")


def _intake_part(request: Request) -> Any:
    """The JSON text of the multipart part ``intake``, parsed with the API's depth limit."""
    text = request.POST.get("intake")
    if text is None:
        raise invalid("required", _("This field is required."), "intake")
    try:
        return limits.loads_bounded(text)
    except limits.JSONTooDeep:
        message = _("The JSON document is nested more than %(max)s levels deep.")
        raise invalid("json_too_deep", message % {"max": limits.MAX_JSON_DEPTH}, "intake") from None
    except ValueError as exc:
        message = _("The request body is not valid JSON: %(error)s")
        raise invalid("parse_error", message % {"error": exc}, "intake") from None


def _scans(request: Request) -> dict[int, Any]:
    """The files ``scan_<required document id>``; any other file is refused."""
    scans: dict[int, Any] = {}
    for field in request.FILES:
        found = SCAN_FIELD.fullmatch(field)
        if found is None:
            message = _("Send scans as scan_<required document id>.")
            raise invalid("scan_field_name", message, field)
        scans[int(found.group(1))] = request.FILES[field]
    return scans


class DossierViewSet(viewsets.ReadOnlyModelViewSet[Dossier]):
    """Dossiers the signed-in user may see (officers: their agencies'; citizens: their own)."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = DossierFilter
    # Keyset pages on the list's order, newest received first (docs/api.md "Pages"): no
    # COUNT over the user's dossiers on every page, no OFFSET deep in the list (issue #18).
    pagination_class = KeysetPagination
    lookup_field = "code"
    lookup_value_regex = r"[A-Z0-9.]+-\d{6}-\d{4,}"
    queryset = Dossier.objects.none()

    def get_queryset(self) -> QuerySet[Dossier]:
        base = queries.visible_dossiers(self.request.user).select_related(
            "version__procedure", "case", "receiving_agency", "current_agency", "lead_agency"
        )
        if self.action == "retrieve":
            steps = DossierStep.objects.select_related("agency", "assignee", "handed_to")
            events = DossierEvent.objects.select_related("actor", "agency").order_by("at", "pk")
            base = base.select_related("current_step__agency").prefetch_related(
                Prefetch("steps", queryset=steps.order_by("position")),
                Prefetch("events", queryset=events),
                "documents",
            )
        return base.order_by("-received_at", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page of the list, logged as one read of its dossiers' applicants' names
        (Decree 13/2023; ``access_log``)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if page is None:  # no pagination configured: the whole list
            page = list(self.filter_queryset(self.get_queryset()))
            access_log.record_reads(request, AccessKind.API_LIST, page)
            return Response(self.get_serializer(page, many=True).data)
        access_log.record_reads(request, AccessKind.API_LIST, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A dossier with its applicant's personal data: the read is logged."""
        dossier = self.get_object()
        access_log.record_reads(request, AccessKind.API, [dossier])
        return Response(self.get_serializer(dossier).data)

    def get_serializer_class(self) -> type[serializers.DossierListSerializer]:
        if self.action == "list":
            return serializers.DossierListSerializer
        return serializers.DossierDetailSerializer

    @extend_schema(
        request=serializers.ActionSerializer,
        responses={
            200: serializers.DossierDetailSerializer, **error_responses(400, 403, 404, 409)
        },
        parameters=[
            OpenApiParameter(
                "name", str, OpenApiParameter.PATH, enum=sorted(actions.REGISTRY),
                description="the action; its payload is documented in docs/dossiers.md",
            )
        ],
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<name>[a-z_]+)")
    def act(self, request: Request, code: str, name: str) -> Response:
        """Take an action on the dossier. Allowed only to the roles and agencies the workflow
        table names; refused with 403 and the reason otherwise, 409 when someone changed the
        dossier since the ``revision`` you send."""
        if name not in actions.REGISTRY:
            raise Http404(name)
        dossier = queries.dossier_for(request.user, code)
        payload = PAYLOADS[name](data=request.data)
        payload.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated
        values = dict(payload.validated_data)
        return _answer(lambda: actions.take(dossier, name, user, values), request)

    @extend_schema(
        responses=serializers.CandidatesSerializer,
        parameters=[
            OpenApiParameter(
                "name", str, OpenApiParameter.PATH, enum=sorted(recipients.PICKED_FIELDS),
                description="the action whose recipient is picked",
            )
        ],
    )  # fmt: skip
    @action(detail=True, methods=["get"], url_path=r"actions/(?P<name>[a-z_]+)/candidates")
    def candidates(self, request: Request, code: str, name: str) -> Response:
        """Whom or where the action may hand the dossier now: for ``forward`` the officers
        holding the next step's role at its agency (the usernames ``to`` accepts; after a
        transfer, only the officer who asked), for ``transfer`` the agencies taking part in
        the procedure (the codes ``to_agency`` accepts). The action refuses anything else.
        Only for a user who may take the action now: 403 ``action_not_allowed`` otherwise."""
        if name not in recipients.PICKED_FIELDS:
            raise Http404(name)
        dossier = queries.dossier_for(request.user, code)
        if name not in actions_for(request.user, dossier):
            raise ActionRefused(
                f"Không được thực hiện / you may not take “{name}” now", code="action_not_allowed"
            )
        body = {
            "action": name,
            "field": recipients.PICKED_FIELDS[name],
            "choices": [
                {"value": value, "name": label}
                for value, label in recipients.choices_for(name, dossier)
            ],
        }
        return Response(serializers.CandidatesSerializer(body).data)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "name": {"type": "string"},
                    "document": {"type": "integer"},
                    "result": {
                        "type": "boolean",
                        "description": "the file is the result issued (while processing)",
                    },
                },
                "required": ["file"],
            }
        },
        responses={
            201: serializers.DossierDocumentSerializer,
            **error_responses(400, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[BoundedMultiPartParser])
    def documents(self, request: Request, code: str) -> Response:
        """Attach a scan or upload (PDF, PNG, JPEG, TIFF), to a checklist item when
        ``document`` is its id. Type is checked from the content, size against the limit."""
        dossier = queries.dossier_for(request.user, code)
        upload = request.FILES.get("file")
        if upload is None:
            raise invalid("required", "Chọn tệp / choose a file", "file")
        raw_id = request.POST.get("document")
        try:
            document_id = int(raw_id) if raw_id not in (None, "") else None
        except (TypeError, ValueError):
            raise invalid("invalid", "Phải là số / must be a number", "document") from None
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated
        try:
            document = documents.attach(
                dossier,
                actor=user,
                upload=upload,
                name=request.POST.get("name", ""),
                document_id=document_id,
                result=request.POST.get("result", "").lower() in {"1", "true", "on"},
            )
        except REFUSALS as exc:
            return _refusal(exc)
        body = serializers.DossierDocumentSerializer(document).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)/file")
    def document_file(self, request: Request, code: str, document_id: str) -> FileResponse:
        """The stored file of a document (for preview), to those who may open the dossier's
        documents: its officers and its owner. Report readers get 403, never the file."""
        dossier = queries.dossier_for(request.user, code)
        if not queries.may_open_documents(request.user, dossier):
            raise Refused(
                _("Reading reports does not give access to a dossier's documents."),
                code="documents_not_allowed",
            )
        document = dossier.documents.filter(pk=int(document_id)).exclude(file="").first()
        if document is None:
            raise Http404(document_id)
        # Inline (with its name) only as a type sniffed at upload; anything else, such as a file
        # a legacy import brought, is a download that no browser renders on our origin.
        inline = document.content_type in documents.SIGNATURES.values()
        access_log.record_reads(request, AccessKind.DOWNLOAD, [dossier])
        response = FileResponse(
            document.file.open("rb"),
            content_type=document.content_type if inline else "application/octet-stream",
            as_attachment=not inline,
            filename=(document.file.name or "").rsplit("/", 1)[-1],
        )
        # Citizens' ID scans: no copy in a browser's or a proxy's cache (as the workspace's).
        response["Cache-Control"] = "private, no-store"
        return response

    def _intake(self, request: Request, kind: str) -> Response:
        payload = serializers.IntakeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        entered, agency = _entered(data)
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated

        def call() -> Dossier:
            if kind == "submit":
                # Read inside the call: a replay answers before, when the uploads are used up.
                files = _uploads(request, entered, data)
                return drafts.submit_with_uploads(entered, agency=agency, actor=user, files=files)
            if kind == "refuse":
                reasons = data.get("reasons", [])
                return intake.refuse_at_desk(entered, agency=agency, actor=user, reasons=reasons)
            return intake.receive_new_dossier(entered, agency=agency, actor=user)

        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return _answer(call, request, True)
        return _intake_once(request, key, kind, data, call)

    @extend_schema(
        request=serializers.IntakeSerializer,
        responses={201: serializers.DossierDetailSerializer, **error_responses(400, 403, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=False, methods=["post"])
    def submit(self, request: Request) -> Response:
        """A citizen submits a dossier online (status 1, waiting for the desk)."""
        return self._intake(request, "submit")

    @extend_schema(
        request=serializers.IntakeSerializer,
        responses={201: serializers.DossierDetailSerializer, **error_responses(400, 403, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=False, methods=["post"])
    def receive(self, request: Request) -> Response:
        """The desk receives a complete dossier brought in person or by post: the clock starts,
        the appointment (Form 01) is set."""
        return self._intake(request, "receive")

    @extend_schema(
        request=serializers.IntakeSerializer,
        responses={201: serializers.DossierDetailSerializer, **error_responses(400, 403, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=False, methods=["post"])
    def refuse(self, request: Request) -> Response:
        """The desk refuses a dossier with reasons (Form 03)."""
        return self._intake(request, "refuse")

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "intake": {
                        "type": "string",
                        "description": "JSON: the body of POST /api/v1/dossiers/receive/ "
                        "(Intake), with fee_amount (VND), fee_receipt and fee_method (as "
                        "collect_fee) when a fee is collected at the desk",
                    },
                    "scan_{required_id}": {
                        "type": "string",
                        "format": "binary",
                        "description": "the scan of a checklist document, one file per "
                        "document, named by its required document id (scan_12)",
                    },
                },
                "required": ["intake"],
            }
        },
        responses={201: serializers.DossierDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )  # fmt: skip
    @action(
        detail=False,
        methods=["post"],
        url_path="receive_with_scans",
        parser_classes=[BoundedMultiPartParser],
    )
    def receive_with_scans(self, request: Request) -> Response:
        """The desk receives a complete dossier with the scans of its documents and the fee
        collected, all or nothing (``reception.receive_with_scans``, as the desk's screen):
        each scan is checked (type from its content, size) and attached to its checklist
        document, which is then marked as provided; a fee with its receipt is recorded."""
        payload = serializers.ReceiveWithScansSerializer(data=_intake_part(request))
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        entered, agency = _entered(data)
        scans = _scans(request)
        receipt = (data.get("fee_receipt") or "").strip()
        fee = (
            reception.FeePaid(
                data.get("fee_amount") or Decimal(0), receipt, data.get("fee_method", "")
            )
            if receipt
            else None
        )
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated

        def call() -> Dossier:
            return reception.receive_with_scans(
                entered, agency=agency, actor=user, scans=scans, fee=fee
            )

        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return _answer(call, request, True)
        files = {str(k): [u.name, u.size] for k, u in sorted(scans.items())}
        return _intake_once(request, key, "receive_with_scans", {**data, "scans": files}, call)

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="BulkAction",
            serializers=[*BULK_PAYLOADS.values()],
            resource_type_field_name=None,
        ),
        responses=serializers.BulkResultSerializer,
        parameters=[
            OpenApiParameter(
                "name", str, OpenApiParameter.PATH, enum=sorted(actions.BULK),
                description="the action: forward (BulkForward) or send_back (BulkReason)",
            )
        ],
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path=r"bulk/(?P<name>[a-z_]+)")
    def bulk(self, request: Request, name: str) -> Response:
        """Take one action on several dossiers (``actions.take_many``, as the list page's bulk
        actions): each dossier with the revision you saw, in its own transaction. The answer
        is 200 with one outcome per dossier, in the order sent: ``done``; ``refused`` (a
        dossier you may not read, or one the workflow does not let you act on now, is left
        untouched), or ``conflict`` (changed since that revision). Neither stops the others."""
        if name not in BULK_PAYLOADS:
            raise Http404(name)
        payload = BULK_PAYLOADS[name](data=request.data)
        payload.is_valid(raise_exception=True)
        values = dict(payload.validated_data)
        selected = [(item["code"], item["revision"]) for item in values.pop("dossiers")]
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated
        outcomes = actions.take_many(user, name, selected, values)
        body = {"action": name, "outcomes": [asdict(o) for o in outcomes]}
        return Response(serializers.BulkResultSerializer(body).data)


def register(router: DefaultRouter) -> None:
    router.register("dossiers", DossierViewSet, basename="dossier")
