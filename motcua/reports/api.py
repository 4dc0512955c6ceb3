"""The report endpoints, registered on the /api/v1/ router by ``register``.

Reports are read by reform officers, heads of department, signing leaders and system
administrators (``accounts.permissions.can_read_reports``), each restricted to the agencies
``report_agency_ids`` gives them.

The processing report is also a file to print: ``/reports/processing.xlsx`` or ``.pdf`` (DRF's
format suffix), or ``?format=xlsx|pdf``, with the same parameters and permissions as the JSON.
Errors stay JSON whatever format was asked for."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from motcua.accounts.models import Agency
from motcua.accounts.permissions import can_read_reports, report_agency_ids
from motcua.dossiers.deadlines import local_date
from motcua.limits import ErrorSerializer
from motcua.replica import reads_reports
from motcua.reports.exports import processing_xlsx, signer_for
from motcua.reports.exports_pdf import processing_pdf
from motcua.reports.extra_papers import extra_papers_report
from motcua.reports.index766 import service_index
from motcua.reports.payments_collected import collected_report
from motcua.reports.processing import processing_report
from motcua.reports.serializers import ProcessingQuerySerializer, ProcessingReportSerializer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


class FileRenderer(renderers.BaseRenderer):
    """Passes through the bytes an export made (the view renders the file itself)."""

    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        assert isinstance(data, bytes)  # noqa: S101 - errors are switched to JSON first
        return data


class XLSXRenderer(FileRenderer):
    media_type = XLSX
    format = "xlsx"


class PDFRenderer(FileRenderer):
    media_type = PDF
    format = "pdf"


# How each file is served: the spreadsheet to save, the PDF to view and print.
DISPOSITION = {"xlsx": "attachment", "pdf": "inline"}


class Index766QuerySerializer(ProcessingQuerySerializer):
    """The processing report's period parameters (no grouping), and an optional agency code."""

    agency = serializers.CharField(required=False, help_text="Receiving agency code, e.g. H56.22")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        del fields["group_by"], fields["interagency"]
        return fields


class PeriodQuerySerializer(ProcessingQuerySerializer):
    """The processing report's period parameters only (from and to, or a window)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        del fields["group_by"], fields["interagency"]
        return fields


class ExtraPaperRowSerializer(serializers.Serializer[dict[str, Any]]):
    agency = serializers.CharField(help_text="Agency code where the paper was demanded")
    agency_name = serializers.CharField()
    officer = serializers.CharField(help_text="Username of the officer; empty for the operator")
    officer_name = serializers.CharField()
    papers = serializers.IntegerField(help_text="Papers beyond the published list demanded")
    dossiers = serializers.IntegerField(help_text="Dossiers they were demanded in")


class ExtraPapersSerializer(serializers.Serializer[dict[str, Any]]):
    rows = ExtraPaperRowSerializer(many=True)
    papers = serializers.IntegerField(help_text="All the papers of the answer")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


class ComponentScoreSerializer(serializers.Serializer[dict[str, Any]]):
    key = serializers.CharField()
    name_vi = serializers.CharField()
    name_en = serializers.CharField()
    measure = serializers.CharField()
    measure_description = serializers.CharField()
    rule = serializers.ChoiceField(choices=["linear", "threshold"])
    rule_text = serializers.CharField()
    has_data = serializers.BooleanField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True, help_text="numerator ÷ denominator")
    points = serializers.FloatField()
    max_points = serializers.FloatField()
    explanation = serializers.CharField(help_text="How the points were earned")


class GroupScoreSerializer(serializers.Serializer[dict[str, Any]]):
    key = serializers.CharField()
    name_vi = serializers.CharField()
    name_en = serializers.CharField()
    weight = serializers.FloatField()
    points = serializers.FloatField()
    components = ComponentScoreSerializer(many=True)


class ScorecardSerializer(serializers.Serializer[dict[str, Any]]):
    key = serializers.CharField(help_text="Agency code, or 'total'")
    points = serializers.FloatField()
    max_points = serializers.FloatField()
    groups = GroupScoreSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # ``label`` is an attribute of every serializer field: declared here by name.
        fields["label"] = serializers.CharField(help_text="Vietnamese name of the agency")
        return fields


class Index766Serializer(serializers.Serializer[dict[str, Any]]):
    agencies = ScorecardSerializer(many=True)
    totals = ScorecardSerializer(help_text="All the agencies of the answer together")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


class ReportViewSet(viewsets.ViewSet):
    """Statistics read from the daily rollups."""

    permission_classes = [permissions.IsAuthenticated]

    def handle_exception(self, exc: Exception) -> Response:
        """A refusal or a bad parameter is JSON even when a file was asked for."""
        renderer = getattr(self.request, "accepted_renderer", None)
        if isinstance(renderer, FileRenderer):
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        summary="Processing report",
        description=(
            "Tình hình, kết quả giải quyết TTHC cho kỳ [from, to] (ngày theo giờ Việt Nam), "
            "nhóm theo cơ quan, lĩnh vực, thủ tục, cấp hành chính hoặc kênh. / The processing "
            "report for the period [from, to] (local dates), grouped by agency, field, "
            "procedure, administrative level or channel, with totals. Give from and to, or "
            "window (monthly, quarterly, 6-month, 9-month, annual) with year and number. "
            "processing.xlsx / processing.pdf (or format=xlsx|pdf) give the printable file: "
            "merged Vietnamese headers, numbered columns (1)…(15), one row per group and the "
            "total."
        ),
        parameters=[ProcessingQuerySerializer],
        responses={
            (200, "application/json"): ProcessingReportSerializer,
            (200, XLSX): OpenApiTypes.BINARY,
            (200, PDF): OpenApiTypes.BINARY,
            400: OpenApiResponse(ErrorSerializer, description="Bad parameters"),
            403: OpenApiResponse(ErrorSerializer, description="Not allowed to read reports"),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="processing",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, XLSXRenderer, PDFRenderer],
    )
    @reads_reports
    def processing(self, request: Request, format: str | None = None) -> Response:
        if not can_read_reports(request.user):
            raise PermissionDenied(_("You may not read reports."), code="reports_not_allowed")
        query = ProcessingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        allowed = report_agency_ids(request.user)
        report = processing_report(
            data["from"],
            data["to"],
            data["group_by"],
            agency_ids=allowed,
            interagency=data["interagency"],
        )
        kind = request.accepted_renderer.format
        if kind not in DISPOSITION:
            return Response(report.as_dict())
        render = processing_pdf if kind == "pdf" else processing_xlsx
        content = render(report, signer=signer_for(allowed), on=local_date(timezone.now()))
        name = f"tinh-hinh-giai-quyet-tthc-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{kind}"
        return Response(
            content, headers={"Content-Disposition": f'{DISPOSITION[kind]}; filename="{name}"'}
        )

    @extend_schema(
        summary="Decision 766 service index",
        description=(
            "Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) cho kỳ [from, to], "
            "theo cơ quan tiếp nhận và tổng. / The Decision 766 service index for the period "
            "[from, to] (local dates) per receiving agency and for all of them together: six "
            "groups, each component with its measure (numerator/denominator), rule, points, "
            "maximum and an explanation of how the points were earned. Components without data "
            "score 0 and say so. Give from and to, or window with year and number; agency "
            "restricts the answer to one agency."
        ),
        parameters=[Index766QuerySerializer],
        responses={
            200: Index766Serializer,
            400: OpenApiResponse(ErrorSerializer, description="Bad parameters or unknown agency"),
            403: OpenApiResponse(
                ErrorSerializer, description="Not allowed to read reports (of that agency)"
            ),
        },
    )
    @action(detail=False, methods=["get"], url_path="index766")
    @reads_reports
    def index766(self, request: Request) -> Response:
        if not can_read_reports(request.user):
            raise PermissionDenied(_("You may not read reports."), code="reports_not_allowed")
        query = Index766QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        scope = report_agency_ids(request.user)
        if "agency" in data:
            agency = Agency.objects.filter(code=data["agency"]).first()
            if agency is None:
                raise ValidationError(
                    {"agency": _("No agency has this code.")}, code="no_such_agency"
                )
            if not can_read_reports(request.user, agency):
                raise PermissionDenied(
                    _("You may not read the reports of this agency."), code="reports_not_allowed"
                )
            scope = {agency.pk}
        index = service_index(data["from"], data["to"], agency_ids=scope)
        return Response(index.as_dict())

    @extend_schema(
        summary="Papers beyond the published list",
        description=(
            "Giấy tờ ngoài danh mục: số giấy tờ ngoài danh mục thành phần hồ sơ đã công bố mà "
            "cán bộ đã yêu cầu (khi kiểm tra hồ sơ tại quầy hoặc yêu cầu bổ sung) trong kỳ "
            "[from, to], theo cơ quan và cán bộ. / Papers outside the case's published list "
            "that officers demanded (desk checklist or supplement request, each with the "
            "legal basis they typed) in the period [from, to] (local dates), per agency and "
            "officer, with the number of dossiers (Decree 61/2018 art. 5). Give from and to, "
            "or window with year and number."
        ),
        parameters=[PeriodQuerySerializer],
        responses={
            200: ExtraPapersSerializer,
            400: OpenApiResponse(description="Bad parameters"),
            403: OpenApiResponse(description="Not allowed to read reports"),
        },
    )
    @action(detail=False, methods=["get"], url_path="extra-papers")
    @reads_reports
    def extra_papers(self, request: Request) -> Response:
        if not can_read_reports(request.user):
            raise PermissionDenied(_("You may not read reports."))
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        report = extra_papers_report(
            data["from"], data["to"], agency_ids=report_agency_ids(request.user)
        )
        return Response(report.as_dict())

    @extend_schema(
        summary="Fees collected online and at the desk",
        description=(
            "Thu trực tuyến và thu tại quầy: phí, lệ phí và nghĩa vụ tài chính đã ghi nhận trong "
            "kỳ [from, to] theo cơ quan tiếp nhận và theo thủ tục. / Fees, charges and financial "
            "obligations recorded on dossiers in the period [from, to] (local dates), per "
            "receiving agency and per agency × procedure: paid online through the gateway, or "
            "at the desk (cash, transfer, card); counts and VND. Give from and to, or window "
            "with year and number."
        ),
        parameters=[PeriodQuerySerializer],
        responses={
            200: OpenApiResponse(description="agencies, procedures and total"),
            400: OpenApiResponse(description="Bad parameters"),
            403: OpenApiResponse(description="Not allowed to read reports"),
        },
    )
    @action(detail=False, methods=["get"], url_path="payments-collected")
    @reads_reports
    def payments_collected(self, request: Request) -> Response:
        if not can_read_reports(request.user):
            raise PermissionDenied(_("You may not read reports."), code="reports_not_allowed")
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        report = collected_report(
            data["from"], data["to"], agency_ids=report_agency_ids(request.user)
        )
        return Response(report.as_dict())


def register(router: DefaultRouter) -> None:
    router.register("reports", ReportViewSet, basename="report")
