#!/usr/bin/env sh
# Installs the system packages the test suite needs beyond `npm ci`, with Debian's apt-get:
# chromium (the HTML report is checked in headless Chromium, driven by playwright-core),
# pre-commit (the pre-commit framework test installs wf as a hook), python3-prometheus-client (the
# OpenMetrics report is read by its strict parsers) and zsh and fish (the completion scripts are
# tried in them). Does nothing when all are there.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing="$missing chromium"
command -v pre-commit >/dev/null 2>&1 || missing="$missing pre-commit"
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || missing="$missing python3-prometheus-client"
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v fish >/dev/null 2>&1 || missing="$missing fish"
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: no apt-get here; install$missing with your package manager" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-test-deps: apt-get install$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
