from django.urls import path

from toegang import views

app_name = "toegang"

# Mounted under /dossiers/ (config/urls.py): the page belongs to a dossier's pages.
urlpatterns = [
    path("<uuid:pk>/inzage/", views.dossier_access_log, name="access_log"),
    path("<uuid:pk>/inzage/export/", views.dossier_access_log_csv, name="access_log_csv"),
]
