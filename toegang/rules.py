"""Who may read the organisation-wide access log: the privacy officer (a role), nobody
else. The role grants nothing in the care rules (dossiers.rules): no dossier, no family."""

import rules

from richtlijnen.roles import PRIVACY_OFFICER

rules.add_perm("toegang.view_org_log", rules.is_group_member(PRIVACY_OFFICER))
