"""Admin in Dutch throughout, also where Django 6.1 and django-simple-history have no Dutch."""

import pytest
from django.urls import reverse

from interventies.models import Interventie
from tests.factories import UserFactory
from tests.test_admin import change_url, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_client(client):
    client.force_login(UserFactory(content_admin=True))
    return client


def test_history_and_revert_pages_are_dutch(content_client):
    url = change_url("MST")
    assert (
        content_client.post(url, post_data(content_client.get(url), age_min="11")).status_code
        == 302
    )
    mst = Interventie.objects.get(code="MST")
    history = content_client.get(
        reverse("admin:interventies_interventie_history", args=[mst.pk])
    ).content.decode()
    for dutch in ["Geschiedenis", "Gewijzigd door", "Datum/tijd", "Wijzigingen", "Gewijzigd"]:
        assert dutch in history, dutch
    for english in ["Changed by", "Change reason", "Date/time", ">Changed<", ">Created<"]:
        assert english not in history, english
    record = mst.history.order_by("history_id").first()
    revert = content_client.get(
        reverse("admin:interventies_interventie_simple_history", args=[mst.pk, record.pk])
    ).content.decode()
    assert "Terugzetten" in revert and "Revert" not in revert


def test_select_filters_and_date_widgets_are_dutch(content_client):
    form = content_client.get(change_url("MST")).content.decode()
    assert "- Kies een optie -" in form and "Select an option" not in form
    listing = content_client.get(reverse("admin:interventies_interventie_changelist"))
    assert "Filter by" not in listing.content.decode()
    catalog = content_client.get(reverse("admin:jsi18n")).content.decode()
    assert "Vandaag (%(date)s)" in catalog and "Gisteren (%(date)s)" in catalog
