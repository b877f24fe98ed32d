import rules

from richtlijnen.roles import CONTENT_ADMIN

rules.add_perm("inzicht.view", rules.is_group_member(CONTENT_ADMIN))
