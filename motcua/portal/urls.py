from django.urls import path

from motcua.portal import account_views, password_reset, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", views.submit_online, name="submit_online"),
    path("tra-cuu/", views.track_form, name="track_form"),
    path("tra-cuu/<str:code>", views.track, name="track"),
    path("cong-khai/", views.publicity_province, name="publicity"),
    path("cong-khai/<str:code>/", views.publicity_agency, name="publicity_agency"),
    path("dang-ky/", account_views.register, name="register"),
    path("dang-ky/xac-minh/", account_views.verify, name="verify"),
    path("dang-nhap/", account_views.sign_in, name="sign_in"),
    path("dang-xuat/", account_views.sign_out, name="sign_out"),
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
