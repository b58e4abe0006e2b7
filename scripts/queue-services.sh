#!/usr/bin/env bash
# Postgres and Redis for n8n's queue mode (`npm start -- --queue`, test/n8n/queue.n8n.test.ts).
#
#   scripts/queue-services.sh install                        apt-get install postgresql and redis-server when missing
#   scripts/queue-services.sh start <dir> <pg port> <redis port>
#                                                            start both on 127.0.0.1 with their data in <dir>
#                                                            (created on first use, reused after); prints the
#                                                            n8n settings as KEY=VALUE lines
#   scripts/queue-services.sh stop <dir>                     stop both (Redis saves its data first)
#
# Postgres refuses to run as root: as root, its commands run as the `postgres` user (which the
# Debian package creates) on a data folder that user owns. Should that user not reach <dir>
# (e.g. a checkout under /root), the cluster lives in /var/lib/postgresql/customer-batch/ and
# <dir>/postgres is a link to it. Unix sockets are off: n8n and this script use TCP only.
# POSTGRES_OPTIONS adds server settings (the test turns fsync off).
set -euo pipefail

die() {
	echo "queue-services: $*" >&2
	exit 1
}
log() { echo "queue-services: $*" >&2; }

pg_bin() {
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[[ -n $dir && -x $dir/pg_ctl ]] || return 1
	echo "$dir"
}

install() {
	local missing=()
	pg_bin >/dev/null || missing+=(postgresql)
	command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server)
	((${#missing[@]} == 0)) && return
	local sudo=()
	if [[ $(id -u) != 0 ]]; then
		command -v sudo >/dev/null || die "${missing[*]} missing; install them (Debian: apt-get install ${missing[*]})"
		sudo=(sudo)
	fi
	log "installing ${missing[*]} (apt-get)"
	local output started=$SECONDS
	output=$(mktemp)
	# Debian's postinst scripts may or may not start the system-wide services (policy-rc.d, no
	# systemd); either way this script runs its own instances on ports of its own.
	if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$output" 2>&1; then
		cat "$output" >&2
		rm -f "$output"
		die "apt-get could not install ${missing[*]}"
	fi
	rm -f "$output"
	pg_bin >/dev/null || die "postgresql installed, but no /usr/lib/postgresql/<version>/bin/pg_ctl"
	log "installed ${missing[*]} in $((SECONDS - started)) s"
}

# Runs a Postgres command as the user the server runs as.
as_pg() {
	if [[ $(id -u) == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# The cluster folder for <dir>, created (and owned by the server's user) if needed.
pg_data() {
	local dir=$1 data=$1/postgres
	if [[ -L $data || -d $data ]]; then
		readlink -f "$data"
		return
	fi
	mkdir -p "$dir"
	if [[ $(id -u) == 0 ]]; then
		id postgres >/dev/null 2>&1 || die "no postgres user (is the postgresql package installed?)"
		if runuser -u postgres -- test -x "$dir"; then
			mkdir -p "$data"
		else
			local outside
			outside=/var/lib/postgresql/customer-batch/$(readlink -f "$dir" | sha256sum | cut -c1-16)
			log "the postgres user cannot reach $dir: its cluster goes to $outside ($data links to it)"
			mkdir -p "$outside"
			ln -s "$outside" "$data"
		fi
		chown postgres: "$(readlink -f "$data")"
		chmod 700 "$(readlink -f "$data")"
	else
		mkdir -p -m 700 "$data"
	fi
	readlink -f "$data"
}

start() {
	local dir=$1 pg_port=$2 redis_port=$3 bin data password
	[[ $pg_port =~ ^[0-9]+$ && $redis_port =~ ^[0-9]+$ ]] || die "ports must be numbers"
	bin=$(pg_bin) || die "Postgres is not installed: run $0 install"
	command -v redis-server >/dev/null || die "Redis is not installed: run $0 install"
	mkdir -p "$dir"
	dir=$(readlink -f "$dir")
	stop "$dir" 2>/dev/null || true

	data=$(pg_data "$dir")
	if [[ ! -f $dir/postgres-password ]]; then
		# A new cluster: the password file is written last, so a half-made cluster is made again.
		find "$data" -mindepth 1 -delete
		password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
		local pwfile
		# Beside the cluster folder (initdb wants that empty), readable by the server's user.
		pwfile=$(dirname "$data")/.postgres-pwfile
		printf '%s\n' "$password" >"$pwfile"
		[[ $(id -u) != 0 ]] || chown postgres: "$pwfile"
		as_pg "$bin/initdb" -D "$data" -U n8n --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
			{ rm -f "$pwfile"; die "initdb failed; see $dir/initdb.log"; }
		rm -f "$pwfile"
		(umask 077 && printf '%s\n' "$password" >"$dir/postgres-password")
	fi
	password=$(cat "$dir/postgres-password")

	# -w: wait until it accepts connections. The log goes into the cluster folder, which the
	# server's user can write.
	as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
		-o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' ${POSTGRES_OPTIONS:-}" start >/dev/null ||
		die "Postgres did not start; see $data/server.log"
	if ! PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U n8n -d postgres -tAc "select 1 from pg_database where datname = 'n8n'" | grep -q 1; then
		PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U n8n n8n
	fi
	echo "$pg_port" >"$dir/postgres.port"

	mkdir -p "$dir/redis"
	redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$dir/redis" --daemonize yes \
		--pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" --save '60 1' --appendonly no >/dev/null
	local tries=0
	until redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; do
		((tries++ < 100)) || die "Redis did not start; see $dir/redis/redis.log"
		sleep 0.1
	done
	echo "$redis_port" >"$dir/redis.port"

	cat <<-EOF
		DB_TYPE=postgresdb
		DB_POSTGRESDB_HOST=127.0.0.1
		DB_POSTGRESDB_PORT=$pg_port
		DB_POSTGRESDB_DATABASE=n8n
		DB_POSTGRESDB_USER=n8n
		DB_POSTGRESDB_PASSWORD=$password
		QUEUE_BULL_REDIS_HOST=127.0.0.1
		QUEUE_BULL_REDIS_PORT=$redis_port
	EOF
}

stop() {
	local dir=$1 bin data pid stopped=0
	[[ -d $dir ]] || return 0
	if [[ -f $dir/redis/redis.pid ]]; then
		pid=$(cat "$dir/redis/redis.pid")
		if [[ -f $dir/redis.port ]] && redis-cli -h 127.0.0.1 -p "$(cat "$dir/redis.port")" shutdown save >/dev/null 2>&1; then
			stopped=1
		elif kill "$pid" 2>/dev/null; then
			stopped=1
		fi
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		rm -f "$dir/redis/redis.pid"
	fi
	data=$(readlink -f "$dir/postgres") || true
	if [[ -n $data && -f $data/postmaster.pid ]] && bin=$(pg_bin); then
		as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 && stopped=1
	fi
	((stopped == 0)) || log "stopped Postgres and Redis of $dir"
}

main() {
	case "${1:-}" in
		install) install ;;
		start)
			[[ $# == 4 ]] || die "usage: $0 start <dir> <postgres port> <redis port>"
			start "$2" "$3" "$4"
			;;
		stop)
			[[ $# == 2 ]] || die "usage: $0 stop <dir>"
			stop "$2"
			;;
		*) die "usage: $0 install | start <dir> <postgres port> <redis port> | stop <dir>" ;;
	esac
}

main "$@"
