"""Who may review, set the plan, print it and evaluate: django-rules, like dossiers.rules."""

import rules

from dossiers.rules import (
    is_gedragswetenschapper,
    is_team_member,
    works_with_families,
    wrote_intake,
)


@rules.predicate
def awaits_review(user, dossier) -> bool:
    return dossier is not None and dossier.status == "ter_beoordeling"


@rules.predicate
def has_set_plan(user, dossier) -> bool:
    return dossier is not None and dossier.status in {"vastgesteld", "afgesloten"}


@rules.predicate
def plan_in_force(user, dossier) -> bool:
    return dossier is not None and dossier.status == "vastgesteld"


@rules.predicate
def plan_can_change(user, dossier) -> bool:
    return dossier is not None and dossier.status in {"ter_beoordeling", "vastgesteld"}


# Four eyes: whoever wrote (created, saved a change to) or submitted the intake does not
# review it or set its plan.
reviewer = is_gedragswetenschapper & is_team_member & ~wrote_intake
rules.add_perm("beoordeling.review_queue", is_gedragswetenschapper)
rules.add_perm("beoordeling.review", reviewer & awaits_review)
rules.add_perm("beoordeling.set_plan", reviewer & plan_can_change)
rules.add_perm("beoordeling.print_plan", works_with_families & is_team_member & has_set_plan)
rules.add_perm("beoordeling.evaluate", works_with_families & is_team_member & plan_in_force)
rules.add_perm("beoordeling.evaluation_overview", works_with_families)
