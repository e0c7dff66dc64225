"""Running as a service: `run --http` (metrics, health, the status page) and the dead-man's-switch ping.

Nothing here calls Kaspi or amoCRM or writes to the store: it reads the store and the
engine's counters, so watching the sync never changes what the sync does.
"""
