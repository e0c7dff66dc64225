#!/bin/sh
# Adds "Kaspi amoCRM Sync" to the applications menu of the current user (no root needed).
# Shipped inside the Linux bundle; run it from the unpacked folder:  ./install-desktop-entry.sh
# ./install-desktop-entry.sh --remove   takes the menu entry and icon away again (your data stays).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps=${XDG_DATA_HOME:-$HOME/.local/share}/applications
icons=${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps
if [ "${1:-}" = "--remove" ]; then
  rm -f "$apps/kaspi-amo-sync.desktop" "$icons/kaspi-amo-sync.svg"
  echo "Removed the menu entry. Settings and data stay in ~/.config/kaspi-amo and ~/.local/share/kaspi-amo."
  exit 0
fi
mkdir -p "$apps" "$icons"
cp "$here/kaspi-amo-sync.svg" "$icons/kaspi-amo-sync.svg"
# Exec per the Desktop Entry spec: the path in double quotes, with " ` $ \ escaped
exec_path=$(printf '%s' "$here/Kaspi amoCRM Sync" | sed -e 's/[\\"`$]/\\&/g')
sed -e "s|^Exec=@EXEC@|Exec=\"$exec_path\"|" "$here/kaspi-amo-sync.desktop" | grep -v '^# install-desktop-entry' > "$apps/kaspi-amo-sync.desktop"
chmod 644 "$apps/kaspi-amo-sync.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" >/dev/null 2>&1 || true
echo "Added \"Kaspi amoCRM Sync\" to the applications menu ($apps/kaspi-amo-sync.desktop)."
