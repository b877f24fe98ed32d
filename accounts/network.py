"""The client's address, as the lockouts and the access log must see it.

Behind a reverse proxy every request comes from the proxy. Only when REMOTE_ADDR is one
of ``RICHTSNOER_TRUSTED_PROXIES`` (addresses or networks, comma separated) is
X-Forwarded-For believed, read from the right: the first address that is not a trusted
proxy is the client. A header sent by anyone else is ignored, so it cannot be forged to
dodge a lockout or to put another address in the log.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _networks(tuple(getattr(settings, "RICHTSNOER_TRUSTED_PROXIES", ())))
    if not _trusted(remote, networks):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return str(remote)  # a malformed chain: trust nothing in it
        if not _trusted(address, networks):
            return str(address)
    return str(remote)
