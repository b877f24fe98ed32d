"""Client systems, registered by an administrator (superuser) with their public key."""

from django.contrib import admin

from cdshooks.models import CdsClient


@admin.register(CdsClient)
class CdsClientAdmin(admin.ModelAdmin):
    list_display = ["name", "issuer", "team", "rate_limit_per_minute", "is_active"]
    list_filter = ["is_active", "team"]
    search_fields = ["name", "issuer"]
    fieldsets = [
        (None, {"fields": ["name", "issuer", "team", "is_active"]}),
        ("Sleutel (precies één)", {"fields": ["public_key", "jwks_url"]}),
        ("Toegang", {"fields": ["allowed_origins", "rate_limit_per_minute"]}),
    ]
