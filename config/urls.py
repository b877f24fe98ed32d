from django.contrib import admin
from django.urls import path

from richtlijnen import views as richtlijnen_views

admin.site.site_header = "Richtsnoer beheer"
admin.site.site_title = "Richtsnoer beheer"
admin.site.index_title = "Inhoud van de richtlijnen"

urlpatterns = [
    path("", richtlijnen_views.home, name="home"),
    path("beheer/", admin.site.urls),
]
