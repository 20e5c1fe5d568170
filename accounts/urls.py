"""Sign in, sign out and password pages, in French paths.

The URL names are Django's own (login, logout, password_reset...), unnamespaced: the auth views and
LOGIN_URL refer to them by these names.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import SignInForm
from .views import PasswordResetView

urlpatterns = [
    # /connexion/, /deconnexion/
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # /mot-de-passe/...: forgotten password, by e-mail
    path(
        "mot-de-passe/oubli/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # /mot-de-passe/changer/: signed-in users
    path("mot-de-passe/changer/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/changer/termine/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
