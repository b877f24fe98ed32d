"""Error pages in Dutch (400, 403, 404, 500), also with DEBUG on as in the demo."""

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urls
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_error_pages")]


def broken(request):
    raise RuntimeError("kapot")


def bad(request):
    raise BadRequest("onzin")


def forbidden(request):
    raise PermissionDenied


def own_form_page(request):
    return HttpResponse("<p>Eigen formulier, opnieuw getoond</p>", status=400)


urlpatterns = [
    path("test/eigen/", own_form_page),
    path("test/kapot/", broken),
    path("test/onzin/", bad),
    path("test/verboden/", forbidden),
    *site_urls,
]
handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"

TECHNICAL = ("URLconf", "Page not found", "Traceback", "Request Method", "DJANGO_SETTINGS")


@pytest.fixture
def browser():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(professional=True, teams=[TeamFactory()]))
    return client


@pytest.mark.parametrize("debug", [False, True], ids=["production", "demo"])
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/bestaat-niet/", 404, "Niet gevonden"),
        ("/test/verboden/", 403, "Geen toegang"),
        ("/test/onzin/", 400, "Dit verzoek kunnen we niet verwerken"),
        ("/test/kapot/", 500, "Er ging iets mis"),
    ],
)
def test_error_pages_are_dutch_also_in_the_demo(browser, settings, debug, url, status, heading):
    settings.DEBUG = debug
    response = browser.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html and 'lang="nl"' in html
    assert not [word for word in TECHNICAL if word in html]


def test_a_developer_can_ask_for_djangos_technical_pages(browser, settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_PAGES = True
    response = browser.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_a_refused_security_token_gets_a_dutch_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/inloggen/", {"login": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Het formulier is verlopen" in html
    assert "verification failed" not in html


def test_a_page_a_view_answers_itself_is_left_alone_in_the_demo(browser, settings):
    settings.DEBUG = True
    response = browser.get("/test/eigen/")
    assert response.status_code == 400
    assert response.content.decode() == "<p>Eigen formulier, opnieuw getoond</p>"
