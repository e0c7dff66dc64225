#!/usr/bin/env bash
# macOS: build "Kaspi amoCRM Sync.app" with PyInstaller and pack it into a .dmg; sign and notarise
# when the credentials are in the environment, and say what was skipped otherwise.
#
#   bash packaging/macos/build_app.sh
#
# Result: dist/Kaspi amoCRM Sync.app and dist/kaspi-amo-sync-<version>-macos-<arch>.dmg
# (the arch of the Python running the build: arm64 on Apple silicon runners, x86_64 on Intel).
#
# Signing (optional): MACOS_CODESIGN_IDENTITY="Developer ID Application: Name (TEAMID)" signs every
# binary, the app (hardened runtime, packaging/macos/entitlements.plist) and the dmg. In CI the
# certificate can come as MACOS_CERTIFICATE_P12_BASE64 + MACOS_CERTIFICATE_PASSWORD: it is imported
# into a temporary keychain that is deleted at the end.
# Notarisation (optional, needs signing): either an App Store Connect API key
#   APPLE_API_KEY_PATH (the .p8 file) or APPLE_API_KEY_BASE64, APPLE_API_KEY_ID, APPLE_API_ISSUER_ID
# or an Apple ID: APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (an app-specific password).
# Environment: PYTHON (3.11+, default python3), BUILD_DIR (default build/macos), DIST_DIR (default dist).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-python3}
BUILD_DIR=${BUILD_DIR:-$ROOT/build/macos}
DIST_DIR=${DIST_DIR:-$ROOT/dist}
APP_NAME="Kaspi amoCRM Sync"
APP="$DIST_DIR/$APP_NAME.app"
started=$(date +%s)

if [ "$(uname -s)" != "Darwin" ]; then
  echo "build_app.sh builds the macOS app and runs only on macOS (Linux: packaging/build_linux.sh)" >&2
  exit 2
fi
mkdir -p "$BUILD_DIR" "$DIST_DIR"
[ -x "$BUILD_DIR/venv/bin/python" ] || "$PYTHON" -m venv "$BUILD_DIR/venv"
PY="$BUILD_DIR/venv/bin/python"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$PY" -m pip install -q "$ROOT[gui]" "pyinstaller>=6.10,<7" "dmgbuild>=1.6,<2"

# --- the signing certificate (CI) ------------------------------------------------------
keychain=""
cleanup() { [ -n "$keychain" ] && security delete-keychain "$keychain" >/dev/null 2>&1 || true; }
trap cleanup EXIT
if [ -n "${MACOS_CERTIFICATE_P12_BASE64:-}" ]; then
  keychain="$BUILD_DIR/signing.keychain-db"
  keychain_password=$(uuidgen)
  security create-keychain -p "$keychain_password" "$keychain"
  security set-keychain-settings -lut 3600 "$keychain"
  security unlock-keychain -p "$keychain_password" "$keychain"
  echo "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode > "$BUILD_DIR/certificate.p12"
  security import "$BUILD_DIR/certificate.p12" -k "$keychain" -P "${MACOS_CERTIFICATE_PASSWORD:-}" -T /usr/bin/codesign
  rm -f "$BUILD_DIR/certificate.p12"
  security set-key-partition-list -S apple-tool:,apple: -s -k "$keychain_password" "$keychain" >/dev/null
  security list-keychains -d user -s "$keychain" $(security list-keychains -d user | tr -d '"')
fi
if [ -n "${MACOS_CODESIGN_IDENTITY:-}" ]; then
  echo "== signing as: $MACOS_CODESIGN_IDENTITY"
else
  echo "== MACOS_CODESIGN_IDENTITY is not set: skipping code signing (the app is only ad-hoc signed;"
  echo "   Gatekeeper will ask users to open it with right-click → Open the first time)"
fi

# --- the app ---------------------------------------------------------------------------
echo "== pyinstaller build.spec"
rm -rf "$APP" "${DIST_DIR:?}/$APP_NAME"
(cd "$ROOT" && MACOS_CODESIGN_IDENTITY="${MACOS_CODESIGN_IDENTITY:-}" "$PY" -m PyInstaller --noconfirm --clean \
  --log-level WARN --distpath "$DIST_DIR" --workpath "$BUILD_DIR/pyinstaller" build.spec)
rm -rf "${DIST_DIR:?}/$APP_NAME"  # the bare folder BUNDLE was made from; the .app holds everything
version=$("$APP/Contents/MacOS/$APP_NAME" --version | awk '{print $NF}')
if [ -n "${MACOS_CODESIGN_IDENTITY:-}" ]; then
  codesign --verify --deep --strict --verbose=2 "$APP"
fi

# --- the disk image ----------------------------------------------------------------------
dmg="$DIST_DIR/kaspi-amo-sync-$version-macos-$(uname -m).dmg"
rm -f "$dmg"
echo "== dmgbuild $dmg"
"$BUILD_DIR/venv/bin/dmgbuild" -s "$ROOT/packaging/macos/dmg_settings.py" -D app="$APP" "$APP_NAME" "$dmg"
if [ -n "${MACOS_CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_CODESIGN_IDENTITY" "$dmg"
fi

# --- notarisation ------------------------------------------------------------------------
notary=""
if [ -n "${APPLE_API_KEY_BASE64:-}" ] && [ -z "${APPLE_API_KEY_PATH:-}" ]; then
  APPLE_API_KEY_PATH="$BUILD_DIR/AuthKey.p8"
  echo "$APPLE_API_KEY_BASE64" | base64 --decode > "$APPLE_API_KEY_PATH"
fi
if [ -n "${APPLE_API_KEY_PATH:-}" ] && [ -n "${APPLE_API_KEY_ID:-}" ] && [ -n "${APPLE_API_ISSUER_ID:-}" ]; then
  notary=api
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
  notary=apple-id
fi
if [ -z "${MACOS_CODESIGN_IDENTITY:-}" ]; then
  echo "== skipping notarisation: it needs a signed app (MACOS_CODESIGN_IDENTITY)"
elif [ -z "$notary" ]; then
  echo "== skipping notarisation: set APPLE_API_KEY_PATH (or APPLE_API_KEY_BASE64), APPLE_API_KEY_ID and"
  echo "   APPLE_API_ISSUER_ID, or APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD"
else
  echo "== notarising with $notary credentials (xcrun notarytool waits for Apple's answer)"
  if [ "$notary" = api ]; then
    xcrun notarytool submit "$dmg" --key "$APPLE_API_KEY_PATH" --key-id "$APPLE_API_KEY_ID" \
      --issuer "$APPLE_API_ISSUER_ID" --wait
  else
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
  fi
  xcrun stapler staple "$dmg"
  spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
fi
rm -f "$BUILD_DIR/AuthKey.p8"

echo "== $APP ($(du -sh "$APP" | cut -f1)), $dmg ($(du -sh "$dmg" | cut -f1)) in $(( $(date +%s) - started )) s"
