"""Accounts URLs: sign-up/sign-in/sign-out, password change, API keys and custom endpoints."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from playground.accounts.views import auth, endpoints, keys

urlpatterns = [
    path("accounts/signup/", auth.signup, name="signup"),
    path("accounts/login/", auth.SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("keys/", keys.key_list, name="keys"),
    path("keys/<int:key_id>/test/", keys.key_test, name="key_test"),
    path("keys/<int:key_id>/delete/", keys.key_delete, name="key_delete"),
    path("endpoints/", endpoints.endpoint_list, name="endpoints"),
    path("endpoints/<int:endpoint_id>/", endpoints.endpoint_edit, name="endpoint_edit"),
    path("endpoints/<int:endpoint_id>/delete/", endpoints.endpoint_delete, name="endpoint_delete"),
]
