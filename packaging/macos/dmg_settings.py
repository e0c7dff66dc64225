# dmgbuild settings for the macOS disk image (packaging/macos/build_app.sh runs it):
#     dmgbuild -s packaging/macos/dmg_settings.py -D app="dist/Kaspi amoCRM Sync.app" "Kaspi amoCRM Sync" out.dmg
# The window shows the app and an Applications link: drag one onto the other to install.
import os.path
import plistlib

application = defines.get("app", "dist/Kaspi amoCRM Sync.app")  # noqa: F821 - `defines` is given by dmgbuild
appname = os.path.basename(application)


def _app_icon(app_path: str) -> str:
    with open(os.path.join(app_path, "Contents", "Info.plist"), "rb") as handle:
        name = plistlib.load(handle).get("CFBundleIconFile", "")
    if name and not name.endswith(".icns"):
        name += ".icns"
    return os.path.join(app_path, "Contents", "Resources", name)


format = "UDZO"  # noqa: A001 - dmgbuild reads this name; zlib: opens on every supported macOS
filesystem = "HFS+"
files = [application]
symlinks = {"Applications": "/Applications"}
badge_icon = _app_icon(application)
icon_locations = {appname: (150, 150), "Applications": (450, 150)}
window_rect = ((200, 200), (600, 340))
default_view = "icon-view"
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
icon_size = 128
text_size = 13
