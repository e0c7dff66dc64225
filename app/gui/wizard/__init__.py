"""The settings wizard (issue 5): Kaspi token, amoCRM connection, destination, alerts, finish."""

from app.gui.wizard.wizard import SetupWizard, WizardServices

__all__ = ["SetupWizard", "WizardServices"]
