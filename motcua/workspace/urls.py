from django.contrib.auth.views import LogoutView
from django.urls import include, path

from motcua.reports import dashboard
from motcua.workspace import (
    access_review,
    agency_admin,
    api_tokens,
    bulk,
    feedback_views,
    national,
    password,
    payment_views,
    reception,
    satisfaction,
    signing_views,
    twofactor_views,
    views,
)
from motcua.workspace import replies as reply_views

app_name = "workspace"

urlpatterns = [
    path("", views.queue_page, name="queues"),
    # Administrative-reform management (issue 16, docs/reform.md).
    path("reform/", include("motcua.reform.urls")),
    # Feedback and complaints (phản ánh, kiến nghị; Decree 20/2008/NĐ-CP).
    path("feedback/", feedback_views.queue, name="feedback_queue"),
    path("feedback/report/", feedback_views.report, name="feedback_report"),
    path("feedback/<str:code>/", feedback_views.detail, name="feedback"),
    path("feedback/<str:code>/act/<str:name>/", feedback_views.act, name="feedback_act"),
    path(
        "feedback/<str:code>/files/<int:attachment_id>/",
        feedback_views.attachment,
        name="feedback_attachment",
    ),
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/code/", twofactor_views.code_page, name="login_code"),
    path("security/", twofactor_views.security_page, name="security"),
    path("security/password/", password.change_password, name="password"),
    path("security/tokens/", api_tokens.tokens_page, name="api_tokens"),
    path("security/tokens/<int:token_id>/revoke/", api_tokens.revoke, name="api_token_revoke"),
    path("logout/", LogoutView.as_view(next_page="workspace:login"), name="logout"),
    path("agency/", views.choose_agency, name="agency"),
    path("filters/", views.save_filter, name="save_filter"),
    path("filters/<int:filter_id>/delete/", views.delete_filter, name="delete_filter"),
    path("ledger.xlsx", views.ledger_download, name="ledger"),
    path("bulk/", bulk.bulk_action, name="bulk"),
    path("bulk/result/", bulk.bulk_result, name="bulk_result"),
    path("admin/", agency_admin.index, name="admin"),
    path("admin/grants/", agency_admin.grants_page, name="admin_grants"),
    path(
        "admin/grants/<int:request_id>/decide/",
        agency_admin.decide_grant,
        name="admin_decide_grant",
    ),
    path("admin/<str:code>/users/", agency_admin.users_page, name="admin_users"),
    path("admin/<str:code>/users/new/", agency_admin.add_officer, name="admin_add_officer"),
    path("admin/<str:code>/users/grant/", agency_admin.grant, name="admin_grant"),
    path(
        "admin/<str:code>/users/<int:user_id>/remove/",
        agency_admin.remove_access,
        name="admin_remove_access",
    ),
    path(
        "admin/<str:code>/users/<int:user_id>/unlock/",
        agency_admin.unlock,
        name="admin_unlock",
    ),
    path(
        "admin/<str:code>/roles/<int:assignment_id>/revoke/",
        agency_admin.revoke,
        name="admin_revoke",
    ),
    path("admin/<str:code>/processes/", agency_admin.processes_page, name="admin_processes"),
    path(
        "admin/<str:code>/processes/<int:case_id>/",
        agency_admin.process_page,
        name="admin_process",
    ),
    path("admin/<str:code>/calendar/", agency_admin.calendar_page, name="admin_calendar"),
    path(
        "admin/<str:code>/access-log/",
        access_review.access_log_page,
        name="admin_access_log",
    ),
    path(
        "admin/<str:code>/calendar/<int:override_id>/remove/",
        agency_admin.remove_override,
        name="admin_remove_override",
    ),
    # The national portal (issue 19): the outbox's figures and stuck messages.
    path("national/outbox/", national.outbox_page, name="national_outbox"),
    path(
        "national/outbox/<int:message_id>/requeue/",
        national.requeue_message,
        name="national_requeue",
    ),
    path(
        "national/outbox/<int:message_id>/note/",
        national.annotate_message,
        name="national_annotate",
    ),
    path("national/catalogue/", national.changes_page, name="national_changes"),
    path("national/catalogue/pull/", national.pull, name="national_pull"),
    path("national/catalogue/<int:change_id>/", national.change_page, name="national_change"),
    path(
        "national/catalogue/<int:change_id>/accept/",
        national.accept_change,
        name="national_accept",
    ),
    path(
        "national/catalogue/<int:change_id>/reject/",
        national.reject_change,
        name="national_reject",
    ),
    path("reception/", reception.search_page, name="reception"),
    path("reception/<int:case_id>/", reception.reception_page, name="reception_case"),
    path("reports/", dashboard.dashboard_page, name="reports"),
    path("reports/dossiers/", dashboard.dossiers_page, name="report_dossiers"),
    path("satisfaction/", satisfaction.results, name="satisfaction"),
    path("payments/", payment_views.payments_page, name="payments"),
    path("payments/<int:payment_id>/refund/", payment_views.refund, name="payment_refund"),
    path(
        "payments/settlement/<int:run_id>/",
        payment_views.settlement_run_page,
        name="settlement_run",
    ),
    path("kiosk/", satisfaction.kiosk, name="kiosk"),
    path("dossiers/<str:code>/", views.dossier_page, name="dossier"),
    path("dossiers/<str:code>/act/<str:name>/", views.act, name="act"),
    path("dossiers/<str:code>/attach/", views.attach, name="attach"),
    path("dossiers/<str:code>/sign/", views.sign, name="sign"),
    path(
        "dossiers/<str:code>/signed/<int:copy_id>/",
        signing_views.signed_copy_file,
        name="signed_copy",
    ),
    path(
        "dossiers/<str:code>/documents/<int:document_id>/",
        views.document_file,
        name="document",
    ),
    path("replies/", reply_views.replies_page, name="replies"),
    path("replies/<int:pk>/", reply_views.reply_edit, name="reply"),
    path("replies/<int:pk>/deactivate/", reply_views.reply_deactivate, name="reply_deactivate"),
]
