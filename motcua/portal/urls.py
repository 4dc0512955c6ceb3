from django.urls import path

from motcua.portal import (
    account_views,
    feedback_views,
    mine_views,
    password_reset,
    payment_views,
    reuse_views,
    signature_check,
    submission_views,
    views,
)
from motcua.portal.rating_views import rate, satisfaction_results

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path(
        "thu-tuc/<str:code>/nop-truc-tuyen/",
        submission_views.submit_online,
        name="submit_online",
    ),
    path(
        "thu-tuc/<str:code>/nop-truc-tuyen/xem-lai/",
        submission_views.submit_review,
        name="submit_review",
    ),
    path(
        "thu-tuc/<str:code>/nop-truc-tuyen/huy/",
        submission_views.discard_draft,
        name="discard_draft",
    ),
    path(
        "thu-tuc/<str:code>/nop-truc-tuyen/da-nop/<str:dossier>/",
        submission_views.submitted,
        name="submitted",
    ),
    path(
        "thu-tuc/<str:code>/mau/<str:case>/<str:document>/",
        submission_views.template_download,
        name="template",
    ),
    path("tra-cuu/", views.track_form, name="track_form"),
    path("tra-cuu/<str:code>", views.track, name="track"),
    path("cong-khai/", views.publicity_province, name="publicity"),
    path("cong-khai/hai-long/", satisfaction_results, name="satisfaction"),
    path("cong-khai/<str:code>/", views.publicity_agency, name="publicity_agency"),
    # Feedback and complaints (phản ánh, kiến nghị; Decree 20/2008/NĐ-CP).
    path("phan-anh-kien-nghi/", feedback_views.answers, name="feedback_answers"),
    path("phan-anh-kien-nghi/gui/", feedback_views.submit, name="feedback_submit"),
    path("phan-anh-kien-nghi/da-gui/", feedback_views.sent, name="feedback_sent"),
    path("phan-anh-kien-nghi/theo-doi/", feedback_views.follow, name="feedback_follow"),
    path("phan-anh-kien-nghi/<str:code>/", feedback_views.answer, name="feedback_answer"),
    path("quyen-rieng-tu/", views.privacy, name="privacy"),
    path("kiem-tra-chu-ky/", signature_check.check, name="signature_check"),
    path("dang-ky/", account_views.register, name="register"),
    path("dang-ky/xac-minh/", account_views.verify, name="verify"),
    path("dang-nhap/", account_views.sign_in, name="sign_in"),
    path("dang-xuat/", account_views.sign_out, name="sign_out"),
    # "My dossiers" (hồ sơ của tôi): the signed-in owner's own dossiers only.
    path("ho-so-cua-toi/", mine_views.dossier_list, name="mine"),
    # The log of re-uses of the person's digitised papers (before the dossier codes' paths).
    path("ho-so-cua-toi/giay-to-so-hoa/", reuse_views.reuse_list, name="mine_reuses"),
    path(
        "ho-so-cua-toi/giay-to-so-hoa/nhat-ky.<str:fmt>",
        reuse_views.reuse_export,
        name="mine_reuses_export",
    ),
    path("ho-so-cua-toi/<str:code>/", mine_views.dossier_page, name="mine_dossier"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", mine_views.supplement, name="mine_supplement"),
    path("ho-so-cua-toi/<str:code>/rut/", mine_views.withdraw, name="mine_withdraw"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", rate, name="mine_rate"),
    path(
        "ho-so-cua-toi/<str:code>/tai-lieu/<int:document_id>/",
        mine_views.document_file,
        name="mine_document",
    ),
    path(
        "ho-so-cua-toi/<str:code>/ket-qua/<int:document_id>/",
        mine_views.result_file,
        name="mine_result",
    ),
    path("ho-so-cua-toi/<str:code>/mau/<str:name>.pdf", mine_views.form_pdf, name="mine_form"),
    path("ho-so-cua-toi/<str:code>/thanh-toan/", payment_views.pay, name="mine_pay"),
    path(
        "ho-so-cua-toi/<str:code>/bien-lai/<str:number>.pdf",
        payment_views.receipt,
        name="mine_receipt",
    ),
    path("thanh-toan/ket-qua/", payment_views.payment_return, name="payment_return"),
    path("tai-khoan/thong-bao/", account_views.notice_channels, name="notice_channels"),
    path("quen-mat-khau/", password_reset.RequestReset.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", password_reset.ResetSent.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        password_reset.ChooseNewPassword.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        password_reset.ResetComplete.as_view(),
        name="password_reset_complete",
    ),
]
