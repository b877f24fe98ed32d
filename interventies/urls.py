from django.urls import path

from interventies import views

app_name = "interventies"

urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("<str:code>/", views.catalogue_detail, name="detail"),
]
