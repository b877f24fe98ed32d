"""The live-suggestion panel's lists, written in Python, and links to catalogue pages.

The panel is rendered again at every autosave pause that changes the suggestions, so its
loops are the costliest part of that request. Each filter here writes one list in one pass
and gives exactly the HTML of the template loop it replaced (tests compare both, hostile
names included):

- every item links to its catalogue page, the URL of ``{% url 'interventies:detail' code %}``
  made once per item (``reverse`` was the costliest part of some 60 links per refresh);
- ``suggestion_items``: the suggested items, with their reasons and caveats;
- ``excluded_items``: every item that does not fit, with its reasons (some 20 rows);
- ``caveats``: an item's warnings in a "Let op" box (the review page uses it too);
- ``recommendation_items``: the guideline's recommendations that apply (about ten, each a
  long quoted text, kept with its line breaks once per text and process: a cache that is
  safe to lose).

Escaping is Django's (``conditional_escape``: text that is already safe is kept, anything
else is escaped), without the per-call lazy-text check of ``format_html``: every value
here is the engine's plain text.
"""

from functools import lru_cache
from html import escape as _html_escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString

register = template.Library()


def _e(value) -> str:
    """``conditional_escape(value)`` as text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html_escape(str(value))


@lru_cache(maxsize=4096)
def _item_url(code: str, prefix: str) -> str:
    return reverse("interventies:detail", args=[code])


def _item_link(code, name, prefix: str) -> str:
    return (
        f'<a class="utrecht-link utrecht-link--html-a" href="{_e(_item_url(str(code), prefix))}">'
        f"{_e(name)}</a>"
    )


def _list_items(texts) -> str:
    return "".join(f'<li class="utrecht-unordered-list__item">{_e(t)}</li>' for t in texts)


def _caveats(warnings) -> str:
    if not warnings:
        return ""
    if len(warnings) == 1:
        body = f'<p class="utrecht-paragraph">{_e(warnings[0])}</p>'
    else:
        body = f'<ul class="utrecht-unordered-list">{_list_items(warnings)}</ul>'
    return (
        f'<div class="warning"><p class="utrecht-paragraph"><strong>Let op</strong></p>{body}</div>'
    )


@register.filter
def caveats(warnings) -> SafeString:
    """One caveat box with all of an item's warnings (nothing when it has none)."""
    return SafeString(_caveats(warnings))


@register.filter
def suggestion_items(suggestions) -> SafeString:
    """One list item per suggestion: its link, its classification, its reasons and its
    caveats."""
    prefix = get_script_prefix()
    return SafeString(
        "".join(
            '<li class="utrecht-ordered-list__item suggestion"><p class="utrecht-paragraph">'
            f"<strong>{_item_link(s['code'], s['name'], prefix)}</strong> "
            '<span class="utrecht-status-badge utrecht-status-badge--neutral tag">'
            f"{_e(s['classification'])}</span></p>"
            f'<ul class="utrecht-unordered-list reasons">{_list_items(s["reasons"])}</ul>'
            f"{_caveats(s['warnings'])}</li>"
            for s in suggestions
        )
    )


@register.filter
def excluded_items(excluded) -> SafeString:
    """One list item per excluded item: its link, its name and its reasons."""
    prefix = get_script_prefix()
    return SafeString(
        "".join(
            '<li class="utrecht-unordered-list__item"><strong>'
            f"{_item_link(e['code'], e['name'], prefix)}</strong>: "
            f"{'; '.join(_e(r) for r in e['reasons'])}.</li>"
            for e in excluded
        )
    )


@lru_cache(maxsize=1024)
def _quoted(text: str) -> str:
    # ``linebreaksbr`` escapes whatever it gets, so its text alone decides its output.
    return linebreaksbr(text)


@register.filter
def recommendation_items(recommendations, guidelines_url) -> SafeString:
    """One ``<details>`` per recommendation (the engine's result shape): its title, its
    text quoted with its line breaks, its source and a link into the guidelines page."""
    href = _e(guidelines_url)
    return SafeString(
        "".join(
            f'<details class="recommendation"><summary>{_e(r["title"])}</summary>'
            '<blockquote class="utrecht-blockquote utrecht-blockquote--html-blockquote">'
            f"{_quoted(str(r['text']))}</blockquote>"
            '<p class="utrecht-paragraph utrecht-paragraph--small rs-meta">'
            f"Bron: {_e(r['guideline'])}, {_e(r['section'])} · "
            f'<a class="utrecht-link utrecht-link--html-a" href="{href}'
            f'#aanbeveling-{_e(r["id"])}">in de richtlijnen</a></p></details>'
            for r in recommendations
        )
    )
