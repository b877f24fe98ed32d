"""The intake's form classes: made once per catalogue, their fields shared by every form
built (not deep-copied for each), so nothing one form does may reach the next."""

import dataclasses
import threading

import pytest
from django.forms import formset_factory
from django.http import QueryDict
from django.urls import reverse

from common.forms import own_field
from common.limits import SharedManagementForm
from dossiers import forms as intake_forms
from dossiers.forms import Intake, NewDossierForm, catalogue_forms
from dossiers.models import Team
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.test_dossiers import intake_post, intake_url

pytestmark = pytest.mark.django_db


def posted(dossier, **fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in intake_post(dossier, **fields).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def help_texts(intake: Intake) -> list[str]:
    forms = [intake.form, *(f for fs in intake.formsets for f in fs.forms)]
    return [str(f.fields[name].help_text) for f in forms for name in f.fields]


def test_the_add_row_focus_stays_with_that_answer(client):
    noord = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[noord])
    dossier = DossierFactory(team=noord, created_by=prof)
    client.force_login(prof)
    added = client.post(intake_url(dossier), intake_post(dossier, action="add_child"))
    html = added.content.decode()
    assert html.count("autofocus") == 1
    assert 'name="kind-1-first_name"' in html.split("autofocus")[0].rsplit("<input", 1)[1]
    # The next page, and the next added row of another kind, focus nothing else.
    again = client.get(intake_url(dossier)).content.decode()
    assert "autofocus" not in again
    parent = client.post(intake_url(dossier), intake_post(dossier, action="add_parent"))
    html = parent.content.decode()
    assert html.count("autofocus") == 1
    assert 'name="ouder-1-name"' in html.split("autofocus")[0].rsplit("<input", 1)[1]


def test_length_limits_are_said_once_however_many_forms_are_built(catalogue):
    dossier = DossierFactory()
    for _ in range(5):
        intake = Intake(catalogue=catalogue, data=posted(dossier))
        intake.is_valid()
    texts = help_texts(intake)
    assert texts.count("Maximaal 100 tekens.") == 4  # family, child's, parent's, network names
    assert "Bijvoorbeeld moeder, stiefvader. Maximaal 100 tekens." in texts
    assert sum("Maximaal 20.000 tekens." in text for text in texts) == 1
    assert all(text.count("Maximaal") <= 1 for text in texts)
    for _ in range(3):
        new = NewDossierForm(teams=Team.objects.all())
    assert new.fields["family_name"].help_text == (
        "Bijvoorbeeld de achternaam van het gezin. Maximaal 100 tekens."
    )


def test_a_formset_adds_its_delete_box_to_its_own_forms_only(catalogue):
    dossier = DossierFactory()
    intake = Intake(catalogue=catalogue, data=posted(dossier))
    assert intake.is_valid()
    assert all("DELETE" in f.fields for fs in intake.formsets for f in fs.forms)
    made = catalogue_forms(catalogue)
    for form_class in (made.main, made.children.form, intake_forms.ParentForm):
        assert "DELETE" not in form_class.base_fields
    assert intake.children.forms[0].fields is not made.children.form.base_fields


def test_each_catalogue_has_its_own_choices(catalogue):
    vocab = catalogue.vocabulary
    other = dataclasses.replace(
        catalogue,
        vocabulary=dataclasses.replace(vocab, placement_label={"thuis": "Thuis, getest"}),
    )
    mine = Intake(catalogue=catalogue).form.fields["placement"].choices
    theirs = Intake(catalogue=other).form.fields["placement"].choices
    assert theirs == [("thuis", "Thuis, getest")]
    assert mine == list(vocab.placement_label.items())
    assert catalogue_forms(catalogue) is catalogue_forms(catalogue)
    assert catalogue_forms(other) is not catalogue_forms(catalogue)
    assert Intake(catalogue=catalogue).form.fields["placement"].choices == mine


def test_only_a_few_catalogues_keep_their_forms(catalogue):
    many = [dataclasses.replace(catalogue) for _ in range(intake_forms.KEEP_CATALOGUE_FORMS + 3)]
    made = [catalogue_forms(c) for c in many]
    assert len(intake_forms._catalogue_forms) <= intake_forms.KEEP_CATALOGUE_FORMS
    assert catalogue_forms(many[-1]) is made[-1]
    assert len({id(m) for m in made}) == len(many)  # never another catalogue's


def test_forms_built_at_once_each_judge_their_own_input(catalogue):
    dossier = DossierFactory()
    inputs = [
        posted(dossier, family_name=f"Gezin {n}", placement=placement)
        for n, placement in enumerate(list(catalogue.vocabulary.placement_label) * 3)
    ]
    expected = [Intake(catalogue=catalogue, data=data).judge() for data in inputs]
    results: dict[int, list] = {}

    def judge_all(worker: int) -> None:
        results[worker] = [Intake(catalogue=catalogue, data=data).judge() for data in inputs]

    threads = [threading.Thread(target=judge_all, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({str(p) for p, _ in expected}) > 1  # the inputs differ in what is judged
    assert all(results[w] == expected for w in range(6))


def test_the_posted_counts_are_read_as_django_reads_them(catalogue):
    dossier = DossierFactory()
    data = posted(dossier)
    intake = Intake(catalogue=catalogue, data=data)
    assert isinstance(intake.children.management_form, SharedManagementForm)
    assert intake.children.total_form_count() == 1
    del data["kind-TOTAL_FORMS"]
    missing = Intake(catalogue=catalogue, data=data)
    assert not missing.children.is_valid()
    django_own = formset_factory(catalogue_forms(catalogue).children.form)(data, prefix="kind")
    assert django_own.non_form_errors()
    assert missing.children.non_form_errors() == django_own.non_form_errors()
    shown = Intake(catalogue=catalogue, initial=Intake.initial_from_raw(dict(data.lists())))
    html = str(shown.children.management_form)
    assert 'name="kind-TOTAL_FORMS"' in html
    assert 'name="kind-MAX_NUM_FORMS"' in html


def test_the_intake_page_still_carries_the_row_counts(client):
    noord = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[noord])
    dossier = DossierFactory(team=noord, created_by=prof)
    client.force_login(prof)
    client.post(reverse("dossiers:autosave", args=[dossier.pk]), intake_post(dossier))
    html = client.get(intake_url(dossier)).content.decode()
    assert 'name="kind-TOTAL_FORMS" value="1"' in html
    assert 'name="ouder-TOTAL_FORMS" value="1"' in html


def _shared_state(catalogue) -> list:
    """Everything a form could change on the shared fields of the intake's form classes."""
    made = catalogue_forms(catalogue)
    classes = [
        made.main,
        made.children.form,
        intake_forms.ParentForm,
        intake_forms.NetworkForm,
        SharedManagementForm,
    ]
    return [
        (
            form_class.__name__,
            name,
            type(field).__name__,
            dict(field.widget.attrs),
            str(field.help_text),
            [tuple(c) for c in getattr(field, "choices", [])],
            field.required,
            field.disabled,
            str(field.label),
            field.initial,
        )
        for form_class in classes
        for name, field in form_class.base_fields.items()
    ]


def test_every_intake_path_leaves_the_shared_fields_as_they_were(client, catalogue):
    noord = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[noord])
    dossier = DossierFactory(team=noord, created_by=prof)
    client.force_login(prof)
    before = _shared_state(catalogue)
    url = intake_url(dossier)
    answers = [
        client.post(reverse("dossiers:autosave", args=[dossier.pk]), intake_post(dossier)),
        client.get(url),  # with the kept draft
        client.post(url, intake_post(dossier, action="add_child")),
        client.post(url, intake_post(dossier, action="add_network")),
        client.post(url, intake_post(dossier, action="preview")),
        client.post(url, intake_post(dossier, children=[{"first_name": "Kim"}])),  # invalid
        client.post(url, intake_post(dossier, version="99")),  # someone else saved: 409
        client.post(url, intake_post(dossier)),  # saved
        client.get(url),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 200, 200, 409, 302, 200]
    assert _shared_state(catalogue) == before


def test_a_shared_widget_cannot_be_changed_by_one_form(catalogue):
    form = Intake(catalogue=catalogue).form
    with pytest.raises(TypeError):
        form.fields["family_name"].widget.attrs["autofocus"] = True
    own = own_field(form, "family_name")
    own.widget.attrs["autofocus"] = True
    assert "autofocus" not in Intake(catalogue=catalogue).form.fields["family_name"].widget.attrs
