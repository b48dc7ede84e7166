#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need, when they are missing.
# Each line of the table: a command whose presence shows the package is installed, then the package(s).
# Runs unattended on a fresh machine (root, as on CI); prints what it installs.
set -euo pipefail

TABLE=(
  "socat socat"
  "gpsd gpsd"
  "gpspipe gpsd-clients"
  "gammu gammu"
  "smsd smstools"
  "chromium chromium"
  "xmllint libxml2-utils"
)

missing=()
for row in "${TABLE[@]}"; do
  read -r cmd pkgs <<<"$row"
  if ! command -v "$cmd" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$cmd" ]; then
    missing+=($pkgs)
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "system-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# gpsd's package enables a system daemon and socket; the tests start their own gpsd on a pty.
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now gpsd.socket gpsd.service >/dev/null 2>&1 || true
fi
echo "system-deps: done"
