"""Form rendering: the simplest widgets written directly in Python.

Django renders every widget through a template (input.html including attrs.html); on the
intake page, with about 70 widgets and their options, that was more than half of the
page's time. ``FastWidgetRenderer`` writes exactly the same HTML as Django's own widget
templates for plain inputs (text, date, checkbox, ...), radio/checkbox options and
textareas, escaping as the templates do, and leaves every other template (forms, fields,
selects, and any template a project overrides) to the template engine.
tests/test_performance.py checks the output is identical to the templates'.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

PREFIX = "django/forms/widgets/"
INPUT_TYPES = [
    *("input", "checkbox", "text", "date", "datetime", "email", "hidden"),
    *("number", "password", "search", "tel", "time", "url"),
]


def _text(value) -> str:
    """What ``{{ value|stringformat:'s' }}`` writes: the value as text, escaped."""
    return str(conditional_escape(value if isinstance(value, SafeData) else f"{value}"))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html"""
    value = widget["value"]
    shown = f' value="{_text(value)}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _input_option(widget: dict) -> str:
    """django/forms/widgets/input_option.html (radio and checkbox options)"""
    if not widget.get("wrap_label"):
        return _input(widget)
    target = widget["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    # input.html ends with a newline; only the whole output is stripped.
    return f"<label{label_for}>{_input(widget)}\n {conditional_escape(widget['label'])}</label>"


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html"""
    value = widget["value"]
    content = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{content}</textarea>"
    )


WRITERS = {
    **{f"{PREFIX}{name}.html": _input for name in INPUT_TYPES},
    f"{PREFIX}input_option.html": _input_option,
    f"{PREFIX}radio_option.html": _input_option,
    f"{PREFIX}checkbox_option.html": _input_option,
    f"{PREFIX}textarea.html": _textarea,
}


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is not None and request is None and "widget" in context:
            return writer(context["widget"])
        return super().render(template_name, context, request)
