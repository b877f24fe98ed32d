"""NL Design System class names on Django's form widgets.

Django renders each widget itself (with its id, name, ``required``, ``aria-invalid`` and the
``aria-describedby`` that points at ``<id>_helptext`` and ``<id>_error``). These filters only
add the Utrecht component's class names to that output and change nothing else:

    {{ field|nlds_widget:show_errors }}              a textbox, textarea, select or checkbox
    {% for option in field|nlds_options:show_errors %}{{ option.tag }}{% endfor %}
                                                     radio buttons or a list of checkboxes

The argument says whether the field's errors are shown, so whether it looks invalid.
"""

from django import template
from django.forms import widgets
from django.forms.boundfield import BoundWidget

register = template.Library()

CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
RADIO = "utrecht-radio-button utrecht-radio-button--html-input"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


def _component(widget: widgets.Widget) -> str:
    if isinstance(widget, widgets.CheckboxSelectMultiple | widgets.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, widgets.RadioSelect):
        return RADIO
    if isinstance(widget, widgets.Textarea):
        return TEXTAREA
    if isinstance(widget, widgets.Select):
        return SELECT
    return TEXTBOX


def _class(field, show_errors) -> str:
    widget = field.field.widget
    classes = _component(widget)
    names = [widget.attrs.get("class", ""), classes]
    if show_errors and field.errors:
        names.append(classes.split()[0] + "--invalid")  # e.g. utrecht-textbox--invalid
    return " ".join(name for name in names if name)


@register.filter
def nlds_widget(field, show_errors=False):
    """The field's widget as Django renders it, with the component's class names."""
    return field.as_widget(attrs={"class": _class(field, show_errors)})


@register.filter
def nlds_options(field, show_errors=False) -> list[BoundWidget]:
    """The field's radio buttons or checkboxes, as ``for option in field`` gives them,
    each with the component's class names."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    attrs["class"] = _class(field, show_errors)
    return [
        BoundWidget(widget, option, field.form.renderer)
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]
