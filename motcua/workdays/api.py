"""API viewsets; registered on the /api/v1/ router by ``register``.

Calendars are public information: anyone may read them and ask when something falls due.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from motcua.limits import ErrorSerializer
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for
from motcua.workdays.filters import CalendarFilterSet
from motcua.workdays.models import Calendar
from motcua.workdays.serializers import (
    CalendarSerializer,
    DueQuerySerializer,
    DueResultSerializer,
)


class CalendarViewSet(viewsets.ReadOnlyModelViewSet[Calendar]):
    """Working calendars: office sessions, intake cut-off and overridden days."""

    serializer_class = CalendarSerializer
    filterset_class = CalendarFilterSet
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> QuerySet[Calendar]:
        return Calendar.objects.select_related("parent").prefetch_related("overrides")

    @extend_schema(
        summary="When is it due?",
        description=(
            "Hạn giải quyết theo lịch này, kèm giải thích từng ngày. / The due instant on this "
            "calendar, with a day-by-day explanation."
        ),
        parameters=[
            DueQuerySerializer,
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="Calendar code"),
        ],
        responses={
            200: DueResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Bad input"),
        },
    )
    @action(detail=True, methods=["get"], url_path="due", filterset_class=None)
    def due(self, request: Request, code: str | None = None) -> Response:
        calendar = self.get_object()
        query = DueQuerySerializer(
            data=request.query_params, context={"time_zone": calendar.time_zone}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            result = clock.due(data["start"], data["amount"], data["unit"], spec_for(calendar))
        except ValueError as exc:
            raise ValidationError(
                _("Cannot compute this due date: %(error)s") % {"error": exc},
                code="due_not_computable",
            ) from exc

        return Response(result.as_dict())


def register(router: DefaultRouter) -> None:
    router.register("calendars", CalendarViewSet, basename="calendar")
