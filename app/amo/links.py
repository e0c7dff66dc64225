"""Addresses of amoCRM pages a person opens (the tray's order list, the status page)."""

from __future__ import annotations


def lead_url(amo_base_url: str | None, lead_id: int | None) -> str | None:
    """The deal card in amoCRM: `{amo_base_url}/leads/detail/{lead_id}`."""
    if not amo_base_url or not lead_id:
        return None
    return f"{amo_base_url.rstrip('/')}/leads/detail/{lead_id}"
