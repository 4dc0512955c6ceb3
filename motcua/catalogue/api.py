"""Read API for the procedure catalogue: fields, decisions, procedures and their versions."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from motcua.catalogue.filters import ProcedureFilter
from motcua.catalogue.models import (
    Case,
    Decision,
    Fee,
    Field,
    InternalProcess,
    ProcedureAssignment,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)


class FieldSerializer(serializers.ModelSerializer[Field]):
    class Meta:
        model = Field
        fields = ["code", "name", "name_en"]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    class Meta:
        model = Decision
        fields = ["number", "signed_on", "issuer", "effective_from", "title"]


class DocumentSerializer(serializers.ModelSerializer[RequiredDocument]):
    code = serializers.CharField(
        read_only=True,
        help_text="stable identifier within the case (TP01): name the document by it in "
        "POST /api/v1/dossiers/submit/ (checklist[].document)",
    )
    template_url = serializers.SerializerMethodField(
        help_text="where the portal serves the template or e-form file, when there is one"
    )

    class Meta:
        model = RequiredDocument
        fields = ["code", "position", "name", "form", "copies", "mandatory", "eform",
                  "template_url"]  # fmt: skip

    def get_template_url(self, obj: RequiredDocument) -> str | None:
        if not obj.template:
            return None
        case = obj.case
        return f"/thu-tuc/{case.version.procedure.code}/mau/{case.code}/{obj.code}/"


class FeeSerializer(serializers.ModelSerializer[Fee]):
    class Meta:
        model = Fee
        fields = ["kind", "name", "amount", "note"]


class StepSerializer(serializers.ModelSerializer[ProcessStep]):
    responsible_agency_code = serializers.SlugRelatedField[ProcessStep](
        source="responsible_agency", slug_field="code", read_only=True
    )

    class Meta:
        model = ProcessStep
        fields = ["position", "name", "role", "unit", "allowance", "responsible_agency_code"]


class ProcessSerializer(serializers.ModelSerializer[InternalProcess]):
    agency_code = serializers.SlugRelatedField[InternalProcess](
        source="agency", slug_field="code", read_only=True
    )
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = InternalProcess
        fields = ["agency_code", "name", "steps"]


class CaseSerializer(serializers.ModelSerializer[Case]):
    documents = DocumentSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    processes = ProcessSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["code", "name", "processing_time", "time_unit", "documents", "fees", "processes"]


class AssignmentSerializer(serializers.ModelSerializer[ProcedureAssignment]):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = ProcedureAssignment
        fields = ["agency_code", "agency_name", "role"]


class VersionSummarySerializer(serializers.ModelSerializer[ProcedureVersion]):
    code = serializers.CharField(source="procedure.code", read_only=True)
    field = FieldSerializer(read_only=True)
    levels = serializers.ListField(child=serializers.CharField(), read_only=True)
    published_by = DecisionSerializer(read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "number",
            "name",
            "field",
            "levels",
            "online_level",
            "inter_agency",
            "status",
            "effective_from",
            "effective_to",
            "published_by",
        ]


class VersionDetailSerializer(VersionSummarySerializer):
    ended_by = DecisionSerializer(read_only=True)
    cases = CaseSerializer(many=True, read_only=True)
    replaced_by_code = serializers.SlugRelatedField[ProcedureVersion](
        source="replaced_by", slug_field="code", read_only=True
    )
    assignments = AssignmentSerializer(source="procedure.assignments", many=True, read_only=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [
            *VersionSummarySerializer.Meta.fields,
            "competent_authority",
            "receiving_authority",
            "legal_basis",
            "residence_free",
            "result_electronic",
            "result",
            "ended_by",
            "replaced_by_code",
            "assignments",
            "cases",
        ]


def _detailed(queryset: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    steps = ProcessStep.objects.select_related("responsible_agency").order_by("position")
    processes = InternalProcess.objects.select_related("agency").prefetch_related(
        Prefetch("steps", queryset=steps)
    )
    assignments = ProcedureAssignment.objects.select_related("agency")
    return queryset.select_related("ended_by", "replaced_by").prefetch_related(
        "cases__documents",
        "cases__fees",
        Prefetch("cases__processes", queryset=processes),
        Prefetch("procedure__assignments", queryset=assignments),
    )


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet[ProcedureVersion]):
    """Procedures in force (or in force on a date with ``?on=``), by national code."""

    queryset = ProcedureVersion.objects.select_related(
        "procedure", "field", "published_by"
    ).order_by("procedure__code", "number")
    filterset_class = ProcedureFilter
    lookup_field = "procedure__code"
    lookup_url_kwarg = "code"
    lookup_value_regex = r"[^/]+"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[ProcedureVersion]]:
        if self.action == "list":
            return VersionSummarySerializer
        return VersionDetailSerializer

    def get_queryset(self) -> QuerySet[ProcedureVersion]:
        if self.action == "retrieve":
            return _detailed(self.queryset)
        return self.queryset

    @extend_schema(responses=VersionDetailSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, code: str) -> Response:
        """Every version of the procedure, oldest first, with the decisions that began and
        ended each."""
        versions = _detailed(self.queryset.filter(procedure__code=code))
        if not versions:
            get_object_or_404(ProcedureVersion, procedure__code=code)
        return Response(VersionDetailSerializer(versions, many=True).data)


class FieldViewSet(viewsets.ReadOnlyModelViewSet[Field]):
    """Fields of state management (lĩnh vực)."""

    queryset = Field.objects.order_by("code")
    serializer_class = FieldSerializer
    lookup_field = "code"
    pagination_class = None


class DecisionViewSet(viewsets.ReadOnlyModelViewSet[Decision]):
    """Decisions that published, amended or abolished procedures."""

    queryset = Decision.objects.order_by("-signed_on", "number")
    serializer_class = DecisionSerializer


def register(router: DefaultRouter) -> None:
    router.register("procedures", ProcedureViewSet, basename="procedure")
    router.register("fields", FieldViewSet, basename="field")
    router.register("decisions", DecisionViewSet, basename="decision")
