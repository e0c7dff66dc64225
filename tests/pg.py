"""Where the PostgreSQL test server is, shared by the store, engine and CLI tests.

PostgreSQL tests run against KASPI_AMO_TEST_POSTGRES_URL (default: the local server CI
starts); an unreachable server FAILS them; KASPI_AMO_SKIP_POSTGRES=1 skips them instead.
"""

from __future__ import annotations

import os
from urllib.parse import quote

PG_URL = os.environ.get("KASPI_AMO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SKIP_PG = os.environ.get("KASPI_AMO_SKIP_POSTGRES") == "1"


def with_search_path(url: str, schema: str) -> str:
    """A DATABASE_URL whose tables live in `schema` (one shop per schema)."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
