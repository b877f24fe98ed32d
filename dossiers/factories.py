"""factory-boy factories for people, teams and families; used by seed_demo and the tests.

Traits give the common shapes: ``UserFactory(professional=True, teams=[noord])``,
``DossierFactory(crisis_case=True)``, ``DossierFactory(submitted=True)``.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from dossiers.models import Dossier, Jeugdige, Netwerklid, Ouder, Status, Team
from richtlijnen.roles import CONTENT_ADMIN, GEDRAGSWETENSCHAPPER, PRIVACY_OFFICER, PROFESSIONAL

PASSWORD = "een-lang-testwachtwoord"  # noqa: S105 - tests and demo only


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker-{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    role_names: tuple[str, ...] = ()

    class Params:
        content_admin = factory.Trait(is_staff=True, role_names=(CONTENT_ADMIN,))
        professional = factory.Trait(role_names=(PROFESSIONAL,))
        gedragswetenschapper = factory.Trait(role_names=(GEDRAGSWETENSCHAPPER,))
        privacy_officer = factory.Trait(role_names=(PRIVACY_OFFICER,))
        staff_without_role = factory.Trait(is_staff=True)

    @classmethod
    def _create(cls, model_class, *args, role_names=(), **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role_names:
            user.groups.set(Group.objects.filter(name__in=role_names))
        return user

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)

    @factory.post_generation
    def authenticator_app(self, create, extracted, **kwargs):
        """``UserFactory(authenticator_app=True)``: the user has set up the app; its secret
        is on ``user.totp_secret`` (for tests that log in with a code)."""
        if create and extracted:
            from allauth.mfa.totp.internal.auth import generate_totp_secret

            from accounts.services import authenticator_app_set

            self.totp_secret = extracted if isinstance(extracted, str) else generate_totp_secret()
            authenticator_app_set(user=self, secret=self.totp_secret)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()  # keeps the password set by PostGenerationMethodCall


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


def _years_ago(low: int, high: int):
    return factory.Faker(
        "date_between",
        start_date=dt.timedelta(days=-365 * high),
        end_date=dt.timedelta(days=-365 * low),
    )


class JeugdigeFactory(DjangoModelFactory):
    class Meta:
        model = Jeugdige

    dossier = None
    first_name = factory.Faker("first_name", locale="nl_NL")
    birth_date = _years_ago(1, 17)
    problems = factory.LazyFunction(list)
    position = factory.Sequence(lambda n: n)

    class Params:
        teenager = factory.Trait(birth_date=_years_ago(13, 17))
        young_child = factory.Trait(birth_date=_years_ago(2, 6))


class OuderFactory(DjangoModelFactory):
    class Meta:
        model = Ouder

    dossier = None
    name = factory.Faker("name", locale="nl_NL")
    relation = factory.Iterator(["moeder", "vader", "stiefmoeder", "pleegvader"])


class NetwerklidFactory(DjangoModelFactory):
    class Meta:
        model = Netwerklid

    dossier = None
    name = factory.Faker("name", locale="nl_NL")
    relation = factory.Iterator(["oma", "buurvrouw", "oom", "trainer"])
    is_mentor = False


class DossierFactory(DjangoModelFactory):
    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    family_name = factory.Faker("last_name", locale="nl_NL")
    created_by = factory.SubFactory(UserFactory, professional=True)
    updated_by = factory.SelfAttribute("created_by")
    placement = "thuis"
    crisis = False
    family_problems = factory.LazyFunction(list)
    verklarende_analyse = ""
    children = factory.RelatedFactoryList(JeugdigeFactory, "dossier", size=1)

    class Params:
        crisis_case = factory.Trait(
            crisis=True,
            placement="uithuisplaatsing_overwogen",
            family_problems=["opvoedingsproblemen"],
        )
        placement_considered = factory.Trait(placement="uithuisplaatsing_overwogen")
        submitted = factory.Trait(
            status=Status.TER_BEOORDELING,
            submitted_at=factory.LazyFunction(timezone.now),
            submitted_by=factory.SelfAttribute("created_by"),
        )
        without_children = factory.Trait(children=None)
