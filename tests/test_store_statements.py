"""The store's IN (…) queries come in a few lengths only, so the drivers' statement caches stay small."""

from __future__ import annotations

from app.store.sql import IN_CHUNK, padded


def test_in_lists_are_padded_to_a_few_lengths() -> None:
    """A poll reading a few more orders each minute compiled one more `IN (…)` statement per poll,
    each kept by sqlite3's statement cache (benchmarks/soak.py, SQLite: RSS +6.2 MB over 201 new
    orders and 324 polls; padded: +1.8 MB)."""
    lengths = {len(padded(list(range(n)))) for n in range(1, IN_CHUNK + 1)}
    assert len(lengths) <= 10 and max(lengths) == IN_CHUNK
    assert padded(["a", "b", "c"]) == ["a", "b", "c", "c"] and padded([]) == []
    assert padded(list(range(700))) == list(range(700))  # longer than a chunk: callers cut first
