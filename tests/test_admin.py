"""Django admin for content: usable by content admins, closed to everyone else, and never
able to save what load_content would reject."""

import pytest
from django.urls import reverse

from interventies.models import Interventie
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(content_admin=True))
    return client


def post_data(response, **changes):
    """The change form as the browser would submit it, with ``changes`` applied."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    data["_save"] = "Opslaan"
    return data


def change_url(code):
    return reverse(
        "admin:interventies_interventie_change", args=[Interventie.objects.get(code=code).pk]
    )


def test_content_admin_lists_searches_and_filters_interventions(admin_client):
    url = reverse("admin:interventies_interventie_changelist")
    page = admin_client.get(url)
    assert page.status_code == 200
    assert Interventie.objects.count() == page.context["cl"].result_count

    found = admin_client.get(url, {"q": "crimineel"}).context["cl"].result_list
    assert [i.code for i in found] == ["MDFT"]

    young = {i.code for i in admin_client.get(url, {"leeftijd": "0-5"}).context["cl"].result_list}
    assert "GC" in young and "ASH" in young
    assert "MST" not in young and "MST-CAN" not in young
    adult = {i.code for i in admin_client.get(url, {"leeftijd": "18-"}).context["cl"].result_list}
    assert {"MST", "MDFT", "FAST"} <= adult
    assert "RGT" not in adult  # "12 tot 18 jaar": 18 is not included


def test_admin_rejects_an_age_range_load_content_would_reject(admin_client):
    url = change_url("MST")
    response = admin_client.post(url, post_data(admin_client.get(url), age_min="19"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "ondergrens 19 ligt boven de bovengrens" in " ".join(errors["age_min"])
    assert Interventie.objects.get(code="MST").age_min == 10


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"level": ""}, "level", "vraagt om een niveau"),
        ({"placements": None}, "placements", "verplicht"),
        ({"code": "mst kopie"}, "code", "niet de juiste vorm"),
        ({"age_wording": ""}, "age_min", "'wording' is verplicht"),
    ],
)
def test_admin_shows_each_problem_next_to_its_field(admin_client, changes, field, message):
    url = change_url("MST")
    response = admin_client.post(url, post_data(admin_client.get(url), **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors.get(field, [])), errors
    assert Interventie.objects.get(code="MST").level == "effectief_goede_aanwijzingen"


def test_a_valid_edit_is_saved_with_who_and_when(admin_client):
    url = change_url("MST")
    response = admin_client.post(url, post_data(admin_client.get(url), age_min="11"))
    assert response.status_code == 302
    item = Interventie.objects.get(code="MST")
    assert item.age_min == 11
    latest = item.history.latest()
    assert latest.history_user.groups.filter(name="Inhoudsbeheerder").exists()
    assert latest.history_type == "~"


def test_staff_without_the_content_role_cannot_see_or_edit_content(client):
    client.force_login(UserFactory(staff_without_role=True))
    assert client.get(reverse("admin:interventies_interventie_changelist")).status_code == 403
    url = change_url("MST")
    assert client.get(url).status_code == 403
    assert client.post(url, {"age_min": "1"}).status_code == 403
    assert Interventie.objects.get(code="MST").age_min == 10


@pytest.mark.parametrize("user", ["anonymous", "professional"])
def test_non_staff_are_sent_to_the_login_page(client, user):
    if user == "professional":
        client.force_login(UserFactory())
    response = client.get(reverse("admin:interventies_interventie_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("admin:login"), reverse("login")))


def test_content_admin_cannot_manage_users(admin_client):
    assert admin_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_guideline_sections_are_validated_inline(admin_client):
    from richtlijnen.models import Guideline, Section

    guideline = Guideline.objects.get(code="jeugdzorgplus")
    url = reverse("admin:richtlijnen_guideline_change", args=[guideline.pk])
    page = admin_client.get(url)
    data = post_data(page)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
                f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
            }
        )
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False:
                    data[form.add_prefix(name)] = value
    first = page.context["inline_admin_formsets"][0].formset.forms[0]
    data[first.add_prefix("source_file")] = "geen-bron.txt"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "heeft niet de juiste vorm" in response.content.decode()
    assert not Section.objects.filter(source_file="geen-bron.txt").exists()


def test_teams_are_managed_by_superusers_only(client, admin_client):
    from dossiers.models import Team

    url = reverse("admin:dossiers_team_add")
    assert admin_client.get(url).status_code == 403  # content admins do not manage teams
    boss = UserFactory(is_staff=True, is_superuser=True)
    member = UserFactory(professional=True)
    client.force_login(boss)
    response = client.post(url, {"name": "Oost", "slug": "oost", "members": [member.pk]})
    assert response.status_code == 302
    assert list(Team.objects.get(slug="oost").members.all()) == [member]


def test_the_classification_date_and_quote_are_edited_diffed_and_round_trip(admin_client, tmp_path):
    import datetime as dt

    from richtlijnen.content import content_read_files, content_write_files
    from richtlijnen.versions import bundle_diff, bundle_json, draft_bundle, version_in_use

    url = change_url("MST")
    old = version_in_use().bundle
    quote = Interventie.objects.get(code="MST").source_quote
    response = admin_client.post(
        url,
        post_data(
            admin_client.get(url),
            classification_date="15-03-2024",
            source_quote=quote.replace("\n", "\r\n"),  # as a browser sends a textarea
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = Interventie.objects.get(code="MST")
    assert item.classification_date == dt.date(2024, 3, 15)
    bundle = draft_bundle()
    spec = next(i for i in bundle.interventions.interventions if i.code == "MST")
    assert spec.classification.source_date == dt.date(2024, 3, 15)
    assert spec.source_quote == quote  # line breaks as in the source, not the browser's

    changes = bundle_diff(old, bundle_json(bundle))
    assert [(c.code, [f.label for f in c.fields]) for c in changes] == [
        ("MST", ["datum van de bron van de classificatie"])
    ]
    assert "2024-03-15" in str(changes[0].fields[0])

    content_write_files(bundle, tmp_path)
    again = content_read_files(tmp_path)
    assert again == bundle
    mst = next(i for i in again.interventions.interventions if i.code == "MST")
    assert mst.classification.source_date == dt.date(2024, 3, 15)
