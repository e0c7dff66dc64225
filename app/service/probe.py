"""`python -m app.service.probe`: the container's HEALTHCHECK, asking the running daemon's /healthz.

It reads KASPI_AMO_HTTP the way `run` does and asks over loopback (a wildcard bind such
as 0.0.0.0 answers there too), so the image needs no curl and a changed port keeps working.
Exit 0 when the endpoint answers 200, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

from app.errors import ConfigError
from app.net import ListenAddress, parse_listen_address

DEFAULT = "127.0.0.1:9464"
WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def probe_url(raw: str | None) -> str:
    address = parse_listen_address("KASPI_AMO_HTTP", raw or DEFAULT)
    return ListenAddress(WILDCARDS.get(address.host, address.host), address.port).url("/healthz")


def main(timeout: float = 4.0) -> int:
    try:
        url = probe_url(os.environ.get("KASPI_AMO_HTTP"))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # a loopback http URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"{url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
