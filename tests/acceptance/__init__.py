"""Black-box acceptance tests: the real `kaspi-amo` CLI against the built-in emulators."""
