"""User administration: nobody grants themselves care access.

Administering the system gives no access to families (see dossiers.rules). An
administrator who wants care access needs a role and a team like anyone else, and gets
them from another administrator: their own roles, rights and superuser flag are read-only
here, as their own membership is on the team page (dossiers.admin).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

OWN_READONLY = ("groups", "user_permissions", "is_superuser", "is_staff", "is_active")

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            return fields + OWN_READONLY
        return fields
