"""How django-axes reads the user name of a login attempt.

Axes stores the name it reads in a 255-character column. The login form accepts at most
150 characters, but axes reads the raw post, so a hostile post could overflow the column
(a server error on PostgreSQL) or carry NUL characters. Cut and clean it first.
"""

from django.contrib.auth import get_user_model

MAX_LENGTH = get_user_model()._meta.get_field("username").max_length or 150


def login_username(request, credentials) -> str | None:
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("login", request.POST.get("username"))
    if name is None:
        return None
    return str(name).replace("\x00", "")[:MAX_LENGTH]
