"""The report endpoints, registered on the /api/v1/ router by ``register``.

Reports are read by reform officers, heads of department, signing leaders and system
administrators (``accounts.permissions.can_read_reports``), each restricted to the agencies
``report_agency_ids`` gives them."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from motcua.accounts.permissions import can_read_reports, report_agency_ids
from motcua.reports.processing import processing_report
from motcua.reports.serializers import ProcessingQuerySerializer, ProcessingReportSerializer


class ReportViewSet(viewsets.ViewSet):
    """Statistics read from the daily rollups."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Processing report",
        description=(
            "Tình hình, kết quả giải quyết TTHC cho kỳ [from, to] (ngày theo giờ Việt Nam), "
            "nhóm theo cơ quan, lĩnh vực, thủ tục, cấp hành chính hoặc kênh. / The processing "
            "report for the period [from, to] (local dates), grouped by agency, field, "
            "procedure, administrative level or channel, with totals. Give from and to, or "
            "window (monthly, quarterly, 6-month, 9-month, annual) with year and number."
        ),
        parameters=[ProcessingQuerySerializer],
        responses={
            200: ProcessingReportSerializer,
            400: OpenApiResponse(description="Bad parameters"),
            403: OpenApiResponse(description="Not allowed to read reports"),
        },
    )
    @action(detail=False, methods=["get"], url_path="processing")
    def processing(self, request: Request) -> Response:
        if not can_read_reports(request.user):
            raise PermissionDenied(_("You may not read reports."))
        query = ProcessingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        allowed = report_agency_ids(request.user)
        report = processing_report(data["from"], data["to"], data["group_by"], agency_ids=allowed)
        return Response(report.as_dict())


def register(router: DefaultRouter) -> None:
    router.register("reports", ReportViewSet, basename="report")
