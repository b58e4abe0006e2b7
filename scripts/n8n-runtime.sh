#!/usr/bin/env bash
# Installs and locates the pinned n8n runtimes that the real-n8n tests (test/n8n/) run against.
#
#   scripts/n8n-runtime.sh ensure <1|2>   install once (cached), verify, print the runtime folder
#   scripts/n8n-runtime.sh env <1|2>      print `export` lines for an installed runtime:
#                                         PATH (the right node first), N8N_BIN, N8N_RUNTIME_DIR
#   scripts/n8n-runtime.sh dir <1|2>      print the runtime folder (installed or not)
#
# Line 1 is n8n 1.123.81 on the system Node (n8n 1.x accepts Node 20.19 to 24.x).
# Line 2 is n8n 2.41.1, which needs Node >= 24. That Node comes from the npm package
# node-linux-<arch>, because the npm registry is the only network CI is promised.
#
# Cache: ${N8N_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-customer-batch}/n8n-<version>/. A folder
# counts as installed only once its `.installed` marker exists, and the marker is written after
# verification; an interrupted install is repaired (or redone) on the next `ensure`.
# Concurrent `ensure` calls for the same line wait for each other (flock, where available).
#
# Why not a plain `npm install n8n`: its install scripts build isolated-vm, which fails on
# Node 20 and is only needed by the new expression engine (the harness runs with
# N8N_EXPRESSION_ENGINE=legacy). So we install with --ignore-scripts and rebuild just sqlite3,
# the one native module that headless n8n (sqlite DB) cannot start without.
set -euo pipefail

N8N_V1=1.123.81
N8N_V2=2.41.1
NODE_V2=24.21.0

# Some n8n packages depend on xlsx as a tarball URL on the SheetJS CDN, outside the registry: use
# the last registry release instead. n8n 2.x also pulls in `cssomnom`, which the registry does
# not serve (404); cssom 0.5.0 stands in for it.
OVERRIDES_V1='{"xlsx":"0.18.5"}'
OVERRIDES_V2='{"xlsx":"0.18.5","cssomnom":"npm:cssom@0.5.0"}'

CACHE="${N8N_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-customer-batch}"

die() {
	echo "n8n-runtime: $*" >&2
	exit 1
}
log() { echo "n8n-runtime: $*" >&2; }

node_arch() {
	case "$(uname -m)" in
		x86_64 | amd64) echo x64 ;;
		aarch64 | arm64) echo arm64 ;;
		*) die "no node-linux package for architecture $(uname -m)" ;;
	esac
}

n8n_version() {
	case "$1" in
		1) echo "$N8N_V1" ;;
		2) echo "$N8N_V2" ;;
		*) die "unknown n8n line '$1' (expected 1 or 2)" ;;
	esac
}

runtime_dir() { echo "$CACHE/n8n-$(n8n_version "$1")"; }

# The node binary folder n8n of this line runs on.
node_bin_dir() {
	local line=$1 dir
	dir=$(runtime_dir "$line")
	if [[ $line == 2 ]]; then
		echo "$dir/node_modules/node-linux-$(node_arch)/bin"
	else
		dirname "$(command -v node)"
	fi
}

# Runs a command with this line's node first on PATH.
with_node() {
	local line=$1
	shift
	PATH="$(node_bin_dir "$line"):$PATH" "$@"
}

write_package_json() {
	local line=$1 dir=$2 deps overrides
	if [[ $line == 2 ]]; then
		deps="{\"n8n\":\"$N8N_V2\",\"node-linux-$(node_arch)\":\"$NODE_V2\"}"
		overrides=$OVERRIDES_V2
	else
		deps="{\"n8n\":\"$N8N_V1\"}"
		overrides=$OVERRIDES_V1
	fi
	local want="{\"name\":\"n8n-runtime\",\"private\":true,\"dependencies\":$deps,\"overrides\":$overrides}"
	# Rewrite only on change, so a matching install is left for npm to find up to date.
	if [[ ! -f $dir/package.json ]] || [[ "$(cat "$dir/package.json")" != "$want" ]]; then
		echo "$want" >"$dir/package.json"
	fi
}

# Headers for node-gyp matching the system node: npm's configured nodedir, the headers that
# official Node tarballs and distro packages ship next to the binary, or else the node-linux
# package of the same version (node-gyp would otherwise download them from nodejs.org).
system_nodedir() {
	local dir candidate
	candidate=$(npm config get nodedir 2>/dev/null || true)
	if [[ -n $candidate && $candidate != undefined && -f $candidate/include/node/node_version.h ]]; then
		echo "$candidate"
		return
	fi
	candidate=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
	if [[ -f $candidate/include/node/node_version.h ]]; then
		echo "$candidate"
		return
	fi
	local version
	version=$(node -p 'process.versions.node')
	dir="$CACHE/node-headers-$version"
	if [[ ! -f $dir/node_modules/node-linux-$(node_arch)/include/node/node_version.h ]]; then
		log "installing node-linux-$(node_arch)@$version for its headers"
		mkdir -p "$dir"
		echo '{"name":"node-headers","private":true}' >"$dir/package.json"
		(cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --no-save \
			"node-linux-$(node_arch)@$version") >&2
	fi
	echo "$dir/node_modules/node-linux-$(node_arch)"
}

check_system_node() {
	local major minor
	major=$(node -p 'process.versions.node.split(".")[0]')
	minor=$(node -p 'process.versions.node.split(".")[1]')
	if ((major < 20 || (major == 20 && minor < 19) || major > 24)); then
		die "n8n $N8N_V1 needs Node 20.19 to 24.x; the system node is $(node --version)"
	fi
}

check_build_tools() {
	local tool missing=()
	for tool in python3 make c++; do
		command -v "$tool" >/dev/null || missing+=("$tool")
	done
	((${#missing[@]} == 0)) || die "building sqlite3 needs ${missing[*]} (node-gyp toolchain)"
}

# Exit 0 when the folder holds a working n8n of this line.
verify() {
	local line=$1 dir version
	dir=$(runtime_dir "$line")
	[[ -x $dir/node_modules/.bin/n8n ]] || return 1
	[[ $line != 2 || -x $(node_bin_dir 2)/node ]] || return 1
	with_node "$line" node -e "require('$dir/node_modules/sqlite3')" >/dev/null 2>&1 || return 1
	version=$(cd "$dir" && with_node "$line" "$dir/node_modules/.bin/n8n" --version 2>/dev/null | tail -n 1) || return 1
	[[ $version == "$(n8n_version "$line")" ]]
}

install() {
	local line=$1 dir nodedir
	dir=$(runtime_dir "$line")
	mkdir -p "$dir"
	rm -f "$dir/.installed"
	write_package_json "$line" "$dir"
	# npm runs on the system node here; nothing is executed from the packages (--ignore-scripts),
	# so their engines (Node >= 24 for line 2) do not matter yet.
	(cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
	if with_node "$line" node -e "require('$dir/node_modules/sqlite3')" >/dev/null 2>&1; then
		return
	fi
	if [[ $line == 2 ]]; then
		nodedir="$dir/node_modules/node-linux-$(node_arch)"
	else
		nodedir=$(system_nodedir)
	fi
	# --ignore-scripts=false: the user's or CI's npm config may disable scripts globally.
	(cd "$dir" && with_node "$line" npm rebuild sqlite3 --ignore-scripts=false \
		--nodedir="$nodedir" --loglevel=error) >&2
}

ensure() {
	local line=$1 dir started
	dir=$(runtime_dir "$line")
	if [[ -f $dir/.installed ]] && verify "$line"; then
		echo "$dir"
		return
	fi
	[[ $line == 2 ]] || check_system_node
	check_build_tools
	mkdir -p "$CACHE"
	if command -v flock >/dev/null; then
		exec 9>"$dir.lock"
		flock 9
	fi
	# Another process may have finished the install while we waited for the lock.
	if [[ -f $dir/.installed ]] && verify "$line"; then
		echo "$dir"
		return
	fi
	started=$(date +%s)
	log "installing n8n $(n8n_version "$line") into $dir"
	# A leftover folder is first repaired in place (npm reconciles it, fast when complete); if
	# that does not yield a working n8n, it is wiped and installed from scratch.
	if ! { install "$line" && verify "$line"; }; then
		[[ -d $dir/node_modules ]] || die "installing n8n $(n8n_version "$line") failed"
		log "repair failed; reinstalling from scratch"
		rm -rf "$dir/node_modules" "$dir/package-lock.json"
		install "$line"
		verify "$line" || die "n8n $(n8n_version "$line") installed but does not start; see $dir"
	fi
	date -u +%FT%TZ >"$dir/.installed"
	log "n8n $(n8n_version "$line") ready in $(($(date +%s) - started))s"
	echo "$dir"
}

print_env() {
	local line=$1 dir
	dir=$(runtime_dir "$line")
	[[ -f $dir/.installed ]] || die "n8n line $line is not installed; run: $0 ensure $line"
	printf 'export N8N_RUNTIME_DIR=%q\n' "$dir"
	printf 'export N8N_BIN=%q\n' "$dir/node_modules/.bin/n8n"
	printf 'export PATH=%q:"$PATH"\n' "$(node_bin_dir "$line")"
}

main() {
	[[ $# == 2 ]] || die "usage: $0 ensure|env|dir <1|2>"
	local command=$1 line=$2
	n8n_version "$line" >/dev/null
	case "$command" in
		ensure) ensure "$line" ;;
		env) print_env "$line" ;;
		dir) runtime_dir "$line" ;;
		*) die "unknown command '$command' (expected ensure, env or dir)" ;;
	esac
}

main "$@"
