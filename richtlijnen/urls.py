from django.urls import path

from richtlijnen import version_views

app_name = "inhoud"

urlpatterns = [
    path("versies/", version_views.versions, name="versions"),
    path("versies/<int:number>/", version_views.version_detail, name="version"),
    path("versies/<int:number>/terugzetten/", version_views.version_restore, name="restore"),
    path("beoordelen/", version_views.review, name="review"),
    path("impact/<int:run>/", version_views.impact_progress, name="impact"),
]
