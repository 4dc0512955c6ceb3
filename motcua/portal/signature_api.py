"""``POST /api/v1/public/signatures/verify``: the public signature check for other clients, with
the web page's rules (``/kiem-tra-chu-ky/``): a PDF's verdict (intact, who signed, the chain,
when, the certificate valid then) and, given a dossier's code and secret (the tracking PIN),
whether it is a document recorded for that dossier (hash match); with the code and secret and
no file, the dossier's signed result as the system keeps it. An unknown code and a wrong secret
answer 404 alike; each check counts against the tracking rate per client address (429)."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.errors import Problem, body
from motcua.limits import error_responses
from motcua.portal.result_check import check_dossier
from motcua.portal.throttle import TrackRateThrottle
from motcua.signing.trust import configured
from motcua.signing.verify import Verdict, Verification, verify_pdf


class CheckRequestSerializer(serializers.Serializer[Any]):
    document = serializers.FileField(
        required=False, help_text="The PDF to check (optional with code and pin)."
    )
    code = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="The dossier's code."
    )
    pin = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="The dossier's secret: the PIN printed on the receipt (Form 01).",
    )

    def validate_document(self, upload: Any) -> bytes:
        if upload.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.MOTCUA_MAX_UPLOAD_BYTES // 2**20},
                code="too_large",
            )
        return bytes(upload.read())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        code, pin = attrs.get("code", "").strip(), attrs.get("pin", "").strip()
        if bool(code) != bool(pin):
            raise serializers.ValidationError(
                {"pin": _("Give both the dossier's code and its PIN.")}, code="required"
            )
        if "document" not in attrs and not code:
            raise serializers.ValidationError(
                {"document": _("Upload a PDF, or give a dossier's code and PIN.")},
                code="required",
            )
        return attrs


class SignatureSerializer(serializers.Serializer[Any]):
    signer = serializers.CharField()
    certificate_sha256 = serializers.CharField()
    chain = serializers.ListField(child=serializers.CharField(), help_text="Signer first.")
    signed_at = serializers.DateTimeField(allow_null=True, help_text="As the signer stated.")
    timestamp_at = serializers.DateTimeField(allow_null=True, help_text="A trusted time stamp.")
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    certificate_valid = serializers.BooleanField(help_text="Not revoked or expired then.")
    whole_document = serializers.BooleanField()
    verdict = serializers.ChoiceField(choices=[v.value for v in Verdict])


class RecordedSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["result", "receipt", "scan"])
    name = serializers.CharField()
    sha256 = serializers.CharField()
    signer = serializers.CharField()
    signed_at = serializers.DateTimeField()


class DossierRecordSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    recorded = RecordedSerializer(many=True, help_text="The signed documents recorded.")
    match = RecordedSerializer(allow_null=True, help_text="The recorded document the file is.")


class CheckSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(
        choices=[v.value for v in Verdict], allow_null=True, help_text="Null: nothing to check."
    )
    explanation = serializers.CharField()
    sha256 = serializers.CharField(allow_blank=True)
    matches_record = serializers.BooleanField(
        allow_null=True, help_text="Whether the file is one recorded for the dossier given."
    )
    signatures = SignatureSerializer(many=True)
    dossier = DossierRecordSerializer(allow_null=True)


def _answer(verification: Verification | None, dossier: dict[str, Any] | None) -> dict[str, Any]:
    if verification is None:
        return {
            "verdict": None,
            "explanation": _("No signed result is kept for this dossier yet."),
            "sha256": "",
            "matches_record": None,
            "signatures": [],
            "dossier": dossier,
        }
    return {
        "verdict": verification.verdict.value,
        "explanation": verification.explanation,
        "sha256": verification.sha256,
        "matches_record": verification.matches_record,
        "signatures": [vars(s) for s in verification.signatures],
        "dossier": dossier,
    }


class SignatureCheckView(APIView):
    """Check a signed PDF, or a dossier's signed result by its code and secret."""

    permission_classes = [AllowAny]
    throttle_classes = [TrackRateThrottle]

    @extend_schema(
        operation_id="public_signature_check",
        request={"multipart/form-data": CheckRequestSerializer},
        responses={200: CheckSerializer, **error_responses(400, 404, 415, 429)},
        tags=["public"],
    )
    def post(self, request: Request) -> Response:
        """The verdict on the PDF given and, with a dossier's code and PIN, whether it is the
        document recorded for that dossier; 404 alike for an unknown code and a wrong PIN."""
        payload = CheckRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data: bytes | None = payload.validated_data.get("document")
        code = payload.validated_data.get("code", "").strip()
        trust = configured()
        if not code:
            assert data is not None  # noqa: S101 - validate requires one of them
            return Response(_answer(verify_pdf(data, trust), None))
        found = check_dossier(code, payload.validated_data["pin"], data, trust)
        if found is None:
            message = _("No dossier with this code and PIN.")
            return Response(body([Problem(code="not_found", message=message)]), status=404)
        dossier = {
            "code": found.code,
            "recorded": [vars(r) for r in found.recorded],
            "match": vars(found.match) if found.match is not None else None,
        }
        return Response(_answer(found.verification, dossier))
