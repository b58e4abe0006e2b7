#!/usr/bin/env bash
# Makes sure a Chromium that playwright-core can drive is installed, and prints its path.
#
#   scripts/ensure-chromium.sh        install if missing (Debian's `chromium`), print the binary
#
# Playwright's own browser download (`npx playwright install`) needs hosts outside the npm
# registry, so the browser test drives the distribution's Chromium instead (Debian package
# `chromium`, /usr/bin/chromium). CHROMIUM_PATH names another binary and skips the install.
# Idempotent: a Chromium that starts is left alone; apt runs only when none is found.
set -euo pipefail

die() {
	echo "ensure-chromium: $*" >&2
	exit 1
}
log() { echo "ensure-chromium: $*" >&2; }

# The first Chromium found that prints its version.
find_chromium() {
	local candidate
	for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser \
		"$(command -v chromium 2>/dev/null || true)" "$(command -v chromium-browser 2>/dev/null || true)"; do
		[[ -n $candidate && -x $candidate ]] || continue
		if "$candidate" --version >/dev/null 2>&1; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}

if found=$(find_chromium); then
	echo "$found"
	exit 0
fi
[[ -z ${CHROMIUM_PATH:-} ]] || die "CHROMIUM_PATH=$CHROMIUM_PATH does not start"
command -v apt-get >/dev/null || die "no Chromium found and no apt-get to install it; install Chromium and set CHROMIUM_PATH"

sudo=()
if [[ $(id -u) != 0 ]]; then
	command -v sudo >/dev/null && sudo -n true 2>/dev/null ||
		die "no Chromium found; install it as root (apt-get install chromium) or set CHROMIUM_PATH"
	sudo=(sudo -n)
fi

log "installing Debian's chromium (once)"
started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
# Concurrent installs (two test runs) wait for each other on dpkg's lock instead of failing.
"${sudo[@]}" apt-get update -qq -o DPkg::Lock::Timeout=600 >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
	chromium fonts-liberation >&2
found=$(find_chromium) || die "chromium was installed but does not start"
log "$("$found" --version 2>/dev/null) ready in $(($(date +%s) - started))s"
echo "$found"
