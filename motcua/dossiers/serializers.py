"""API representations of dossiers and the payload of each action (explicit fields)."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import get_error_detail

from motcua.accounts import validators
from motcua.dossiers.actions import MAX_MANY, RESULTS
from motcua.dossiers.models import (
    ApplicantKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStep,
    PaymentMethod,
    ReturnMethod,
)
from motcua.dossiers.queries import may_open_documents, timeliness
from motcua.dossiers.workflow import Channel


class DossierListSerializer(serializers.ModelSerializer[Dossier]):
    procedure_code = serializers.CharField(source="version.procedure.code", read_only=True)
    procedure_name = serializers.CharField(source="version.name", read_only=True)
    case_code = serializers.CharField(source="case.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    receiving_agency = serializers.CharField(source="receiving_agency.code", read_only=True)
    current_agency = serializers.CharField(source="current_agency.code", read_only=True)
    timeliness = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure_code",
            "procedure_name",
            "case_code",
            "channel",
            "status",
            "status_label",
            "applicant_name",
            "receiving_agency",
            "current_agency",
            "submitted_at",
            "received_at",
            "due_at",
            "promised_at",
            "finished_at",
            "returned_at",
            "timeliness",
            "revision",
            "extra_papers",
        ]
        read_only_fields = ["extra_papers"]

    def get_timeliness(self, obj: Dossier) -> str:
        return timeliness(obj)


class DossierStepSerializer(serializers.ModelSerializer[DossierStep]):
    agency = serializers.CharField(source="agency.code", read_only=True)
    assignee = serializers.CharField(source="assignee.username", default=None, read_only=True)
    handed_to = serializers.CharField(source="handed_to.username", default=None, read_only=True)

    class Meta:
        model = DossierStep
        fields = [
            "position",
            "name",
            "agency",
            "role",
            "unit",
            "allowance",
            "time_unit",
            "status",
            "started_at",
            "due_at",
            "finished_at",
            "assignee",
            "handed_to",
            "timeliness",
            "note",
        ]


class DossierDocumentSerializer(serializers.ModelSerializer[DossierDocument]):
    class Meta:
        model = DossierDocument
        fields = [
            "id", "name", "form", "copies", "provided", "legal_basis", "content_type", "size",
            "sha256", "result",
        ]  # fmt: skip


class DossierEventSerializer(serializers.ModelSerializer[DossierEvent]):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    agency = serializers.CharField(source="agency.code", default=None, read_only=True)

    class Meta:
        model = DossierEvent
        fields = ["action", "old_status", "new_status", "actor", "agency", "at", "reason", "data"]


class DossierDetailSerializer(DossierListSerializer):
    lead_agency = serializers.CharField(source="lead_agency.code", read_only=True)
    steps = DossierStepSerializer(many=True, read_only=True)
    documents = DossierDocumentSerializer(
        many=True,
        read_only=True,
        required=False,
        help_text="only to the dossier's officers and owner, not to report readers",
    )
    events = DossierEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DossierListSerializer.Meta):
        fields = [
            *DossierListSerializer.Meta.fields,
            "applicant_kind",
            "applicant_id_number",
            "applicant_address",
            "applicant_phone",
            "applicant_email",
            "notify_by_email",
            "notify_by_sms",
            "proxy_name",
            "proxy_id_number",
            "proxy_phone",
            "lead_agency",
            "clock_started_at",
            "paused_at",
            "paused_for",
            "fees_due",
            "fees_paid",
            "result",
            "return_method",
            "postal_address",
            "postal_tracking_number",
            "posted_at",
            "steps",
            "documents",
            "events",
            "allowed_actions",
        ]

    def to_representation(self, instance: Dossier) -> dict[str, Any]:
        body: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not may_open_documents(request.user, instance):
            # Report readers drill down to the dossier, not to its attachments: no list of
            # files with their types, sizes and digests (issue 10, item 8).
            body.pop("documents", None)
        return body

    def get_allowed_actions(self, obj: Dossier) -> list[str]:
        from motcua.dossiers.permissions import actions_for

        request = self.context.get("request")
        return [str(a) for a in actions_for(request.user, obj)] if request else []


# --- intake payloads ---------------------------------------------------------------------

# More lines than any case's checklist has; the rest is a mistake.
MAX_CHECKLIST = 200


class ApplicantSerializer(serializers.Serializer[dict[str, Any]]):
    """Names composed and without invisible characters; a person's ID is a 12-digit personal
    ID number, an organisation's its tax code; phone numbers Vietnamese (see
    ``accounts.validators``)."""

    kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    # The channels chosen for notices about the dossier (docs/notifications.md).
    notify_by_email = serializers.BooleanField(required=False, default=True)
    notify_by_sms = serializers.BooleanField(required=False, default=True)
    proxy_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    proxy_id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    proxy_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values: dict[str, Any] = super().to_internal_value(data)
        for key in ("name", "proxy_name", "address"):
            if key in values:
                values[key] = validators.clean_line(values[key])
        for key in ("id_number", "proxy_id_number"):
            if key in values:
                values[key] = validators.clean_number(values[key])
        for key in ("phone", "proxy_phone"):
            if key in values:
                values[key] = validators.clean_phone(values[key])
        return values

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        checks: dict[str, Callable[[str], None]] = {
            "id_number": lambda v: validators.validate_applicant_id(v, attrs["kind"]),
            "proxy_id_number": validators.validate_personal_id,
            "phone": validators.validate_phone,
            "proxy_phone": validators.validate_phone,
        }
        errors: dict[str, Any] = {}
        if not attrs.get("name"):  # nothing left once invisible characters are gone
            errors["name"] = [ErrorDetail(str(_NAME_REQUIRED), code="required")]
        for key, check in checks.items():
            if attrs.get(key):
                try:
                    check(attrs[key])
                except DjangoValidationError as invalid:
                    errors[key] = get_error_detail(invalid)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


_NAME_REQUIRED = gettext_lazy("The applicant's name is required.")


class ChecklistItemSerializer(serializers.Serializer[dict[str, Any]]):
    required_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    document = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default="",
        help_text="the required document's code in the catalogue API (TP01), instead of "
        "required_id",
    )  # fmt: skip
    upload = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="",
        help_text="the token of a complete resumable upload (/api/v1/uploads/) holding this "
        "document's file (online submission)",
    )  # fmt: skip
    name = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    provided = serializers.BooleanField(default=True)
    copies = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    legal_basis = serializers.CharField(
        max_length=validators.MAX_LINE_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="required for a paper outside the case's published list (no required_id)",
    )


class IntakeSerializer(serializers.Serializer[dict[str, Any]]):
    agency = serializers.CharField(help_text="receiving agency's electronic ID code")
    procedure = serializers.CharField(help_text="national procedure code")
    case = serializers.CharField(required=False, help_text="case code (default: the first)")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.IN_PERSON)
    applicant = ApplicantSerializer()
    checklist = serializers.ListField(
        child=ChecklistItemSerializer(), required=False, max_length=MAX_CHECKLIST
    )
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=validators.MAX_LINE_LENGTH),
        max_length=validators.MAX_LINES,
        required=False,
        help_text="refusal reasons (Form 03)",
    )
    return_method = serializers.ChoiceField(
        choices=ReturnMethod.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="how the applicant asks to receive the result",
    )
    postal_address = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        help_text="where the public post delivers the result (required with return_method post)",
    )


# --- action payloads ---------------------------------------------------------------------


class ActionSerializer(serializers.Serializer[dict[str, Any]]):
    revision = serializers.IntegerField(
        required=False, help_text="the revision you saw: a later change makes this a 409"
    )


class CandidateSerializer(serializers.Serializer[dict[str, Any]]):
    value = serializers.CharField(help_text="what the action's field takes")
    name = serializers.CharField(help_text="what to show")


class CandidatesSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.CharField()
    field = serializers.CharField(help_text="the action's payload field the value goes in")
    choices = CandidateSerializer(many=True)


class ForwardSerializer(ActionSerializer):
    to = serializers.CharField(
        required=False,
        help_text="username of the next holder, one of "
        "GET /api/v1/dossiers/{code}/actions/forward/candidates/",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(ActionSerializer):
    reason = serializers.CharField()


class NoteSerializer(ActionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TransferSerializer(ReasonSerializer):
    to_agency = serializers.CharField(
        help_text="electronic ID code of the other agency, one of "
        "GET /api/v1/dossiers/{code}/actions/transfer/candidates/"
    )
    allowance = serializers.DecimalField(max_digits=7, decimal_places=2)
    step_name = serializers.CharField(required=False, allow_blank=True, default="")


class ExtraPaperSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=validators.MAX_LINE_LENGTH)
    legal_basis = serializers.CharField(
        max_length=validators.MAX_LINE_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="the legal basis requiring the paper; refused when blank",
    )


class SupplementSerializer(ActionSerializer):
    items = serializers.ListField(
        child=serializers.CharField(max_length=validators.MAX_LINE_LENGTH),
        max_length=validators.MAX_LINES,
        required=False,
        default=list,
        help_text="what is missing or wrong among the case's published documents",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    extra_papers = serializers.ListField(
        child=ExtraPaperSerializer(),
        max_length=validators.MAX_LINES,
        required=False,
        default=list,
        help_text="papers outside the case's published list, each with its legal basis",
    )


class PaymentRequestSerializer(ReasonSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=0)


class PaymentSerializer(ActionSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    receipt = serializers.CharField(required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(
        choices=PaymentMethod.choices, required=False, allow_blank=True, default=""
    )


class FeeSerializer(ActionSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    receipt = serializers.CharField(max_length=100, help_text="the receipt's number")
    method = serializers.ChoiceField(choices=PaymentMethod.choices)


class ExtendSerializer(ReasonSerializer):
    new_return_at = serializers.DateTimeField()


class ApproveSerializer(ActionSerializer):
    result = serializers.CharField()


class ReturnSerializer(NoteSerializer):
    method = serializers.ChoiceField(choices=ReturnMethod.choices)
    unpaid_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="required while a fee is owed: why the result is returned without it",
    )


class PostSerializer(NoteSerializer):
    # Bounded here for the request; the engine refuses more than ``MAX_POSTAL_TRACKING``
    # characters with its own code (``postal_tracking_too_long``).
    tracking_number = serializers.CharField(
        max_length=100, help_text="the postal item number (số bưu gửi) given by the post"
    )
    unpaid_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="required while a fee is owed: why the result is sent without it",
    )


# --- several dossiers at once ------------------------------------------------------------


class BulkItemSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField(max_length=60, help_text="the dossier's code")
    revision = serializers.IntegerField(
        min_value=0, help_text="the revision you saw: a later change makes this one a conflict"
    )


def _each_once(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    codes = [item["code"] for item in items]
    if len(set(codes)) != len(codes):
        raise serializers.ValidationError(
            gettext_lazy("Each dossier at most once."), code="bulk_duplicate"
        )
    return items


class BulkForwardSerializer(ForwardSerializer):
    """``forward`` on several dossiers: one next holder and note for all (the next holder must
    be eligible for each, or that dossier is refused)."""

    revision = None  # type: ignore[assignment] # each dossier carries its own
    dossiers = serializers.ListField(
        child=BulkItemSerializer(), allow_empty=False, max_length=MAX_MANY
    )

    def validate_dossiers(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _each_once(items)


class BulkReasonSerializer(ReasonSerializer):
    """``send_back`` on several dossiers: one reason for all."""

    revision = None  # type: ignore[assignment] # each dossier carries its own
    dossiers = serializers.ListField(
        child=BulkItemSerializer(), allow_empty=False, max_length=MAX_MANY
    )

    def validate_dossiers(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _each_once(items)


class BulkOutcomeSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    result = serializers.ChoiceField(choices=list(RESULTS))
    reason = serializers.CharField(help_text="why it was refused or is a conflict, in words")
    refusal = serializers.CharField(
        help_text="unless done, why as a stable code: dossier_not_found, action_not_allowed, "
        "dossier_changed, or the service's own"
    )


class BulkResultSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.CharField()
    outcomes = BulkOutcomeSerializer(many=True, help_text="one per dossier, in the order sent")


# --- reception with scans ----------------------------------------------------------------


class ReceiveWithScansSerializer(IntakeSerializer):
    """The ``intake`` part of ``receive_with_scans``: the body of ``receive``, and the fee
    collected at the desk with its receipt, if any."""

    fee_amount = serializers.DecimalField(
        max_digits=14, decimal_places=0, min_value=Decimal(0), required=False
    )
    fee_receipt = serializers.CharField(max_length=100, required=False, allow_blank=True)
    fee_method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("fee_receipt") or "").strip():
            errors = {
                name: [ErrorDetail(str(message), code="required")]
                for name, message in (
                    ("fee_amount", _FEE_AMOUNT),
                    ("fee_method", _FEE_METHOD),
                )
                if not attrs.get(name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


_FEE_AMOUNT = gettext_lazy("Enter the amount collected.")
_FEE_METHOD = gettext_lazy("Choose how the fee was paid.")
