"""Form helpers shared by every app."""

from __future__ import annotations

import copy
from types import MappingProxyType

from django import forms
from django.utils.formats import number_format


class LengthLimitsShown:
    """Says each text field's length limit in its help text ("Maximaal 100 tekens.").

    Django already puts the limit on the input (``maxlength``), so the browser stops at it;
    saying it at the field means nobody is surprised by that, and ``static/js/intake.js``
    says so aloud when typing or pasting reaches it.

    The text is added once to the class's own fields (every instance copies or shares
    them), not again for every form built.
    """

    def __init__(self, *args, **kwargs):
        show_length_limits(type(self).base_fields)
        super().__init__(*args, **kwargs)


_LIMIT_SHOWN = "_richtsnoer_limit_shown"
_DECLARED_HELP = "_richtsnoer_declared_help"


def show_length_limits(fields: dict) -> None:
    for field in fields.values():
        if field.__dict__.get(_LIMIT_SHOWN, False):
            continue
        if isinstance(field, forms.CharField) and field.max_length and not field.widget.is_hidden:
            # From the text as declared, so two first forms at once cannot add it twice.
            declared = field.__dict__.setdefault(_DECLARED_HELP, field.help_text)
            limit = f"Maximaal {number_format(field.max_length, force_grouping=True)} tekens."
            field.help_text = f"{declared} {limit}" if declared else limit
        field.__dict__[_LIMIT_SHOWN] = True


def fields_shared(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """Class decorator: the form's instances share its fields (see ``SharedFields``)."""
    form_class.base_fields = SharedFields(form_class.base_fields)
    return form_class


class SharedFields(dict):
    """A form class's fields, shared by its instances instead of deep-copied for each.

    Django copies every field (and its widget and choices) for every form it builds, so
    that one form may change its own fields. Forms that never change a field after the
    class is made can share them: for the intake, built on every autosave pause with
    three formsets, the copying was a third of building and validating it. The instance
    still gets a dict of its own, so a formset can add its "DELETE" field to one form.

    Only for forms whose instances never change a field or widget; a form that needs one
    changed copies that field first (``own_field``). The widgets' attributes are made
    read-only here, so a change that forgets this fails at once instead of reaching every
    other form.
    """

    def __init__(self, fields) -> None:
        super().__init__(fields)
        for field in self.values():
            field.widget.attrs = MappingProxyType(dict(field.widget.attrs))

    def __deepcopy__(self, memo):
        return dict(self)


def own_field(form: forms.BaseForm, name: str) -> forms.Field:
    """The form's field ``name`` as a copy of its own, to change for this form alone."""
    field = form.fields[name] = copy.deepcopy(form.fields[name])
    form._bound_fields_cache.pop(name, None)
    return field
