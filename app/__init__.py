"""Kaspi → amoCRM sync: every Kaspi.kz order becomes one amoCRM deal."""

__version__ = "0.1.0"
APP_NAME = "kaspi-amo"
APP_DISPLAY_NAME = "Kaspi amoCRM Sync"
#: Where the project is published; its releases feed tells the tray app about new versions
#: (UPDATE_FEED_URL overrides it, empty switches the check off).
PROJECT_REPOSITORY = "kaspi-amo-sync/kaspi-amo-sync"
