"""`python -m app.gui`: start the tray app directly (same as `kaspi-amo` without a command)."""

from __future__ import annotations

import sys

from app.gui.app import run_gui

if __name__ == "__main__":
    sys.exit(run_gui(sys.argv))
