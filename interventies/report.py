"""A readable Dutch summary of an engine result, for people (``suggest --format text``)."""

from __future__ import annotations

from django.urls import reverse

from interventies.engine import RANKING_RULE, CaseResult, Catalogue
from interventies.profile import CaseProfile


def page_of(code: str) -> str:
    """The catalogue page of an item (a path on the Richtsnoer site)."""
    return reverse("interventies:detail", args=[code])


def _name(name: str, code: str) -> str:
    return name if f"({code})" in name or name == code else f"{name} ({code})"


def format_text(result: CaseResult, profile: CaseProfile, catalogue: Catalogue) -> str:
    vocab = catalogue.vocabulary
    lines = [
        f"Peildatum: {result.reference_date:%d-%m-%Y}",
        f"Situatie: {vocab.placement_label[profile.placement]}",
        f"Acute crisis: {'ja' if profile.crisis else 'nee'}",
    ]
    if profile.family_problems:
        lines.append("Problemen in het gezin: " + ", ".join(vocab.labels(profile.family_problems)))
    lines += ["", RANKING_RULE]
    for number, child in enumerate(result.children, start=1):
        name = child.label or f"Kind {number}"
        lines += ["", f"{name} ({child.age} jaar)", "=" * (len(name) + len(str(child.age)) + 8)]
        own = profile.children[number - 1].problems
        if own:
            lines.append("Problemen: " + ", ".join(vocab.labels(own)))
        if child.suggestions:
            lines.append("Past:")
            for rank, s in enumerate(child.suggestions, start=1):
                lines.append(f"  {rank}. {_name(s.name, s.code)} — {s.classification}")
                lines.append(f"     Waarom: {'; '.join(s.reasons)}.")
                for warning in s.warnings:
                    lines.append(f"     Let op: {warning}.")
                lines.append(f"     Meer: {page_of(s.code)}")
        else:
            lines.append(
                "Past: geen interventie uit de catalogus past bij deze gegevens; zie de "
                f"aanbevelingen en verwijzingen hieronder, en {reverse('interventies:list')}."
            )
        lines.append("Past niet:")
        for e in child.excluded:
            reasons = "; ".join(e.reasons)
            lines.append(f"  - {_name(e.name, e.code)}: {reasons}. ({page_of(e.code)})")
    lines += ["", "Aanbevelingen uit de richtlijnen die hier gelden:"]
    if not result.recommendations:
        lines.append("  (geen)")
    for rule in result.recommendations:
        lines.append(f"  - {rule.spec.title} ({rule.spec.code}; {rule.guideline})")
        lines.append(f"    Meer: {reverse('richtlijnen')}#aanbeveling-{rule.spec.code}")
    lines += ["", f"Inhoudsversie: {result.content_version}"]
    return "\n".join(lines) + "\n"
