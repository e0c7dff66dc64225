"""Self-contained widgets the main window hooks in with a few lines each."""
