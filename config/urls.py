from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from interventies import views as interventies_views
from richtlijnen import views as richtlijnen_views

admin.site.site_header = "Richtsnoer beheer"
admin.site.site_title = "Richtsnoer beheer"
admin.site.index_title = "Inhoud van de richtlijnen"

urlpatterns = [
    path("", richtlijnen_views.home, name="home"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("dossiers/", include("dossiers.urls")),
    path("dossiers/", include("beoordeling.urls")),
    path("inhoud/", include("richtlijnen.urls")),
    path("dossiers/", include("toegang.urls")),
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
