from django.urls import path

from dossiers import review_views, views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nieuw/", views.dossier_new, name="new"),
    path("<uuid:pk>/", views.dossier_intake, name="intake"),
    path("<uuid:pk>/concept/", views.dossier_autosave, name="autosave"),
    path("<uuid:pk>/concept/weggooien/", views.dossier_discard_draft, name="discard_draft"),
    path("beoordelen/", review_views.queue, name="queue"),
    path("evaluaties/", review_views.evaluations, name="evaluations"),
    path("<uuid:pk>/beoordeling/", review_views.review, name="review"),
    path("<uuid:pk>/plan/", review_views.plan, name="plan"),
    path("<uuid:pk>/plan/<int:version>/", review_views.plan_version, name="plan_version"),
    path("<uuid:pk>/plan/<int:version>/afdrukken/", review_views.plan_print, name="plan_print"),
    path("<uuid:pk>/evaluatie/<uuid:moment>/", review_views.evaluation, name="evaluation"),
]
