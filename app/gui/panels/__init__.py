"""Small self-contained parts of the main window (alert channels, updates, and later two-way
actions and deadlines). Each is a QWidget with `retranslate()`; the window stacks them under
its banners with `MainWindow.add_panel`, so adding one is a few lines in window.py."""
