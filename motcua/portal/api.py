"""``GET /api/v1/public/track/<code>?pin=``: public tracking by code for other clients, with the
web page's rules (``portal.tracking``): the public status for anyone, the applicant's name and
documents with the PIN or for the signed-in owner, 404 alike for an unknown code and a wrong
PIN, and the tracking rate per client address (429 with ``Retry-After`` beyond it)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.dossiers.workflow import Status
from motcua.portal import tracking
from motcua.portal.throttle import TrackRateThrottle

# ``deadlines.standing``, the desk's and the reports' rule (``queries.timeliness``).
TIMELINESS = ["early", "on_time", "late", "in_time", "overdue", "paused", "withdrawn", ""]


class PersonalSerializer(serializers.Serializer[tracking.Personal]):
    applicant_name = serializers.CharField()
    documents = serializers.ListField(child=serializers.CharField())
    postal_address = serializers.CharField(
        allow_blank=True, help_text="Where the public post delivers the result (post only)."
    )


class PostedSerializer(serializers.Serializer[tracking.Posted]):
    tracking_number = serializers.CharField(help_text="The postal item number (số bưu gửi).")
    posted_at = serializers.DateTimeField()


class TrackedSerializer(serializers.Serializer[tracking.Tracked]):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    procedure = serializers.CharField()
    receiving_agency = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(
        allow_null=True,
        help_text="The return date given to the applicant (after an apology, the new one).",
    )
    finished_at = serializers.DateTimeField(allow_null=True)
    timeliness = serializers.ChoiceField(
        choices=TIMELINESS,
        help_text="As the desk and the reports judge it: early/on_time/late once processed or "
        "returned, withdrawn, paused while waiting for a supplement or a payment, "
        "in_time/overdue otherwise (stopped too), or empty (not received, refused at the desk).",
    )
    personal = PersonalSerializer(
        allow_null=True,
        help_text="Only with the PIN printed on Form 01 or for the signed-in owner.",
    )
    posted = PostedSerializer(
        allow_null=True,
        help_text="The result handed to the public post (bưu chính công ích), or null.",
    )


NOT_FOUND = inline_serializer(
    "TrackNotFound", {"code": serializers.CharField(), "message": serializers.CharField()}
)


class PublicTrackView(APIView):
    """Track a dossier by its code."""

    permission_classes = [AllowAny]
    throttle_classes = [TrackRateThrottle]

    @extend_schema(
        operation_id="public_track",
        parameters=[
            OpenApiParameter(
                "pin",
                OpenApiTypes.STR,
                description="The PIN printed on the receipt (Form 01), for the personal part.",
            )
        ],
        responses={200: TrackedSerializer, 404: NOT_FOUND, 429: NOT_FOUND},
        tags=["public"],
    )
    def get(self, request: Request, code: str) -> Response:
        """The dossier's status, receiving agency, received and due dates and timeliness;
        unknown codes and wrong PINs answer 404 alike."""
        pin = str(request.query_params.get("pin", ""))[:32]
        found = tracking.track(code, pin=pin, user=request.user)
        if found is None:
            body: dict[str, Any] = {
                "code": "not_found",
                "message": "No dossier with this code and PIN. / Không có hồ sơ với mã và PIN này.",
            }
            return Response(body, status=404)
        return Response(TrackedSerializer(found).data)
