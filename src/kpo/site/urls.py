from django.urls import path

from kpo.site import dashboard, views
from kpo.site.two_factor import views as two_factor
from kpo.site.two_factor.organisation import organisation_two_factor

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sign-in/code/", two_factor.code, name="two_factor_code"),
    path("account/two-factor/", two_factor.manage, name="two_factor"),
    path("account/two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("account/two-factor/off/", two_factor.turn_off, name="two_factor_off"),
    path(
        "organisations/<int:organisation_id>/two-factor/",
        organisation_two_factor,
        name="organisation_two_factor",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
