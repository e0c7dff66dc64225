"""Kaspi → amoCRM sync: every Kaspi.kz order becomes one amoCRM deal."""

__version__ = "0.1.0"
APP_NAME = "kaspi-amo"
APP_DISPLAY_NAME = "Kaspi amoCRM Sync"
