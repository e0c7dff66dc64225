"""The desktop tray app: a thin PySide6 skin over the engine (no engine logic here).

Entry point: `app.gui.app.run_gui`. Everything the tray can do, the CLI can do; this
package only shows state, forwards clicks, and runs the engine's own scheduler on a
background thread.
"""
