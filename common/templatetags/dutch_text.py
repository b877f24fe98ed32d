"""{{ label|in_sentence }}: a label inside a sentence, each term in its one spelling."""

from django import template

from interventies.engine import in_sentence as _in_sentence

register = template.Library()


@register.filter
def in_sentence(label: str) -> str:
    return _in_sentence(str(label))
