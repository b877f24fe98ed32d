"""Review, plan and evaluation pages. Mounted under /dossiers/: the paths did not change."""

from django.urls import path

from beoordeling import views

app_name = "beoordeling"

urlpatterns = [
    path("beoordelen/", views.queue, name="queue"),
    path("evaluaties/", views.evaluations, name="evaluations"),
    path("<uuid:pk>/beoordeling/", views.review, name="review"),
    path(
        "<uuid:pk>/beoordeling/kind/<int:child>/alle-overnemen/",
        views.review_accept_rest,
        name="review_accept_rest",
    ),
    path("<uuid:pk>/beoordeling/afronden/", views.review_finish, name="review_finish"),
    path("<uuid:pk>/plan/", views.plan, name="plan"),
    path("<uuid:pk>/plan/<int:version>/", views.plan_version, name="plan_version"),
    path("<uuid:pk>/plan/<int:version>/afdrukken/", views.plan_print, name="plan_print"),
    path("<uuid:pk>/plan/<int:version>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("<uuid:pk>/evaluatie/<uuid:moment>/", views.evaluation, name="evaluation"),
]
