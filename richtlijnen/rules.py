"""Who may review, publish and roll back guideline content (django-rules)."""

import rules

from richtlijnen.roles import CONTENT_ADMIN

is_content_admin = rules.is_group_member(CONTENT_ADMIN)

rules.add_perm("richtlijnen.manage_versions", is_content_admin)
