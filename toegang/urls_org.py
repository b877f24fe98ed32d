from django.urls import path

from toegang import views

app_name = "toegangslog"

# The organisation-wide access log (privacy officer), at /toegangslog/.
urlpatterns = [
    path("", views.org_access_log, name="overview"),
    path("export/", views.org_access_log_csv, name="export"),
]
