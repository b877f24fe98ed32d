from allauth.account import views as account_views
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from interventies import views as interventies_views
from richtlijnen import views as richtlijnen_views

admin.site.site_header = "Richtsnoer beheer"
admin.site.site_title = "Richtsnoer beheer"
admin.site.index_title = "Inhoud van de richtlijnen"

urlpatterns = [
    path("", richtlijnen_views.home, name="home"),
    path("inloggen/", account_views.login, name="login"),
    path("uitloggen/", account_views.logout, name="logout"),
    # The same two pages under the names django-allauth uses itself.
    path("inloggen/", account_views.login, name="account_login"),
    path("uitloggen/", account_views.logout, name="account_logout"),
    path("account/", include("accounts.urls")),
    # Django admin has no login of its own: it would go around the second factor.
    path(
        "beheer/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
        name="admin_login_redirect",
    ),
    path("dossiers/", include("dossiers.urls")),
    path("dossiers/", include("beoordeling.urls")),
    path("inhoud/", include("richtlijnen.urls")),
    path("dossiers/", include("toegang.urls")),
    path("toegangslog/", include("toegang.urls_org")),
    path("interventies/", include("interventies.urls")),
    path("richtlijnen/", interventies_views.guidelines, name="richtlijnen"),
    path("beheer/", admin.site.urls),
    path("inzicht/", include("inzicht.urls")),
    path("", include("cdshooks.urls")),
    path("", include("ops.urls")),
]

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
