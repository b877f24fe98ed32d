import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from richtlijnen.roles import CONTENT_ADMIN

PASSWORD = "een-lang-testwachtwoord"


class UserFactory(DjangoModelFactory):
    """A user; traits give roles: ``UserFactory(content_admin=True)``."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker-{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    role_names: tuple[str, ...] = ()

    class Params:
        content_admin = factory.Trait(is_staff=True, role_names=(CONTENT_ADMIN,))
        staff_without_role = factory.Trait(is_staff=True)

    @classmethod
    def _create(cls, model_class, *args, role_names=(), **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role_names:
            user.groups.set(Group.objects.filter(name__in=role_names))
        return user

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()  # keeps the password set by PostGenerationMethodCall
