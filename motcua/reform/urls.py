"""The reform screens, included by the workspace under ``/workspace/reform/``."""

from django.urls import path

from motcua.reform import inspection_views, target_views, views

app_name = "reform"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("tasks/<int:task_id>/evidence/<int:report_id>/", views.evidence, name="evidence"),
    path("targets/", target_views.ranking, name="ranking"),
    path("targets/<str:code>/<int:year>/", target_views.agency_targets, name="agency_targets"),
    path(
        "targets/<str:code>/<int:year>/<str:kind>/<int:pk>/",
        target_views.target_file,
        name="target_file",
    ),
    path("inspections/", inspection_views.plan_page, name="inspections"),
    path("inspections/<int:pk>/", inspection_views.inspection_page, name="inspection"),
    path("inspections/<int:pk>/minutes.pdf", inspection_views.minutes, name="minutes"),
    path(
        "inspections/<int:pk>/remediation/",
        inspection_views.remediation_file,
        name="remediation_file",
    ),
    path("quality/", views.quality_page, name="quality"),
]
