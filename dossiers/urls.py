from django.urls import path

from dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nieuw/", views.dossier_new, name="new"),
    path("<uuid:pk>/", views.dossier_intake, name="intake"),
    path("<uuid:pk>/concept/", views.dossier_autosave, name="autosave"),
    path("<uuid:pk>/concept/weggooien/", views.dossier_discard_draft, name="discard_draft"),
    path("<uuid:pk>/intrekken/", views.dossier_withdrawal, name="withdraw"),
    path(
        "<uuid:pk>/concepten/weggooien/",
        views.dossier_discard_leftover_drafts,
        name="discard_leftover_drafts",
    ),
]
