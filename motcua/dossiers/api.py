"""The dossier API: lists and details with access checks, intake, and one endpoint per action
(``POST /api/v1/dossiers/<code>/actions/<action>/``). Views parse, call a service, answer."""

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from motcua.accounts.models import Agency, User
from motcua.catalogue.models import Case, VersionStatus
from motcua.dossiers import (
    documents,
    idempotency,
    intake,
    queries,
    recipients,
    serializers,
    services,
)
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.filters import DossierFilter
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.permissions import actions_for
from motcua.errors import REFUSALS, Refused, refusal_body, refusal_status
from motcua.limits import BoundedMultiPartParser, error_responses

# action name → (payload serializer, service call taking the dossier, the actor and the data)
ActionCall = Callable[[Dossier, User, dict[str, Any]], Dossier]


def _user(username: str | None) -> User | None:
    if not username:
        return None
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise ValidationError(
            {"to": [f"Không có người dùng / no user “{username}”"]}, code="no_such_user"
        )
    return found


def _agency(code: str, field: str = "to_agency") -> Agency:
    found = Agency.objects.filter(code=code).first()
    if found is None:
        raise ValidationError(
            {field: [f"Không có cơ quan / no agency “{code}”"]}, code="no_such_agency"
        )
    return found


ACTIONS: dict[str, tuple[type[serializers.ActionSerializer], ActionCall]] = {
    "receive": (
        serializers.ActionSerializer,
        lambda d, u, v: services.receive(d, actor=u, expected_revision=v.get("revision")),
    ),
    "forward": (
        serializers.ForwardSerializer,
        lambda d, u, v: services.forward(
            d, actor=u, to=_user(v.get("to")), note=v["note"],
            expected_revision=v.get("revision"),
        ),
    ),
    "send_back": (
        serializers.ReasonSerializer,
        lambda d, u, v: services.send_back(
            d, actor=u, reason=v["reason"], expected_revision=v.get("revision")
        ),
    ),
    "transfer": (
        serializers.TransferSerializer,
        lambda d, u, v: services.transfer(
            d, actor=u, to_agency=_agency(v["to_agency"]), allowance=v["allowance"],
            reason=v["reason"], step_name=v["step_name"], expected_revision=v.get("revision"),
        ),
    ),
    "request_supplement": (
        serializers.SupplementSerializer,
        lambda d, u, v: services.request_supplement(
            d, actor=u, items=v["items"], reason=v["reason"],
            expected_revision=v.get("revision"),
        ),
    ),
    "allow_further_supplement": (
        serializers.ReasonSerializer,
        lambda d, u, v: services.allow_further_supplement(
            d, actor=u, reason=v["reason"], expected_revision=v.get("revision")
        ),
    ),
    "resubmit": (
        serializers.NoteSerializer,
        lambda d, u, v: services.resubmit(
            d, actor=u, note=v["note"], expected_revision=v.get("revision")
        ),
    ),
    "request_payment": (
        serializers.PaymentRequestSerializer,
        lambda d, u, v: services.request_payment(
            d, actor=u, amount=v["amount"], reason=v["reason"],
            expected_revision=v.get("revision"),
        ),
    ),
    "confirm_payment": (
        serializers.PaymentSerializer,
        lambda d, u, v: services.confirm_payment(
            d, actor=u, amount=v["amount"], receipt=v["receipt"], method=v["method"],
            expected_revision=v.get("revision"),
        ),
    ),
    "collect_fee": (
        serializers.FeeSerializer,
        lambda d, u, v: services.collect_fee(
            d, actor=u, amount=v["amount"], receipt=v["receipt"], method=v["method"],
            expected_revision=v.get("revision"),
        ),
    ),
    "extend": (
        serializers.ExtendSerializer,
        lambda d, u, v: services.extend(
            d, actor=u, reason=v["reason"], new_return_at=v["new_return_at"],
            expected_revision=v.get("revision"),
        ),
    ),
    "approve": (
        serializers.ApproveSerializer,
        lambda d, u, v: services.approve(
            d, actor=u, result=v["result"], expected_revision=v.get("revision")
        ),
    ),
    "return_result": (
        serializers.ReturnSerializer,
        lambda d, u, v: services.return_result(
            d, actor=u, method=v["method"], note=v["note"],
            unpaid_reason=v.get("unpaid_reason", ""), expected_revision=v.get("revision"),
        ),
    ),
    "withdraw": (
        serializers.ReasonSerializer,
        lambda d, u, v: services.withdraw(
            d, actor=u, reason=v["reason"], expected_revision=v.get("revision")
        ),
    ),
    "stop": (
        serializers.ReasonSerializer,
        lambda d, u, v: services.stop(
            d, actor=u, reason=v["reason"], expected_revision=v.get("revision")
        ),
    ),
}  # fmt: skip


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


class DossierViewSet(viewsets.ReadOnlyModelViewSet[Dossier]):
    """Dossiers the signed-in user may see (officers: their agencies'; citizens: their own)."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = DossierFilter
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
                "name", str, OpenApiParameter.PATH, enum=sorted(ACTIONS),
                description="the action; its payload is documented in docs/dossiers.md",
            )
        ],
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<name>[a-z_]+)")
    def act(self, request: Request, code: str, name: str) -> Response:
        """Take an action on the dossier. Allowed only to the roles and agencies the workflow
        table names; refused with 403 and the reason otherwise, 409 when someone changed the
        dossier since the ``revision`` you send."""
        if name not in ACTIONS:
            raise Http404(name)
        dossier = queries.dossier_for(request.user, code)
        payload_class, call = ACTIONS[name]
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated
        return _answer(lambda: call(dossier, user, dict(payload.validated_data)), request)

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
            raise ValidationError({"file": ["Chọn tệp / choose a file"]}, code="required")
        raw_id = request.POST.get("document")
        try:
            document_id = int(raw_id) if raw_id not in (None, "") else None
        except (TypeError, ValueError):
            raise ValidationError(
                {"document": ["Phải là số / must be a number"]}, code="invalid"
            ) from None
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated
        try:
            document = documents.attach(
                dossier,
                actor=user,
                upload=upload,
                name=request.POST.get("name", ""),
                document_id=document_id,
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
        response = FileResponse(
            document.file.open("rb"), content_type=document.content_type, as_attachment=False
        )
        # Citizens' ID scans: no copy in a browser's or a proxy's cache (as the workspace's).
        response["Cache-Control"] = "private, no-store"
        return response

    def _intake(self, request: Request, kind: str) -> Response:
        payload = serializers.IntakeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        agency = _agency(data["agency"], "agency")
        cases = Case.objects.filter(
            version__procedure__code=data["procedure"], version__status=VersionStatus.PUBLISHED
        ).select_related("version__procedure")
        if data.get("case"):
            cases = cases.filter(code=data["case"])
        case = cases.order_by("code").first()
        if case is None:
            raise ValidationError(
                {"procedure": ["Không có thủ tục / no such procedure or case"]},
                code="no_such_procedure",
            )
        applicant = intake.Applicant(**data["applicant"])
        checklist = [intake.ChecklistItem(**item) for item in data.get("checklist", [])]
        entered = intake.Intake(case, applicant, data["channel"], checklist)
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated

        def call() -> Dossier:
            if kind == "submit":
                return intake.submit_online(entered, agency=agency, actor=user)
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


def register(router: DefaultRouter) -> None:
    router.register("dossiers", DossierViewSet, basename="dossier")
