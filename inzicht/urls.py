from django.urls import path

from inzicht import views

app_name = "inzicht"
urlpatterns = [
    path("", views.overview, name="overview"),
]
