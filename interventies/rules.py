"""Who may read the catalogue pages: every care role, and content admins (no family data)."""

import rules

from richtlijnen.roles import CONTENT_ADMIN, GEDRAGSWETENSCHAPPER, PROFESSIONAL

reads_guidelines = (
    rules.is_group_member(PROFESSIONAL)
    | rules.is_group_member(GEDRAGSWETENSCHAPPER)
    | rules.is_group_member(CONTENT_ADMIN)
)

rules.add_perm("interventies.view_catalogue", reads_guidelines)
