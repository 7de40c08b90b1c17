# SPDX-License-Identifier: Apache-2.0
# Helpers shared by the guest scripts (scripts/vm/guest/scheduler-checks.sh, bench/vm/guest-bench.sh).
# scripts/vm/mkinitramfs installs it as /opt/schedcat/guest-lib.sh; a script sources it and sets
# FAILS=0 before its first check.
say() { echo "schedcat-vm: $1=$2"; }
info() { echo "schedcat-vm-info: $*"; }
fail() { echo "schedcat-vm-fail: $*"; FAILS=$((FAILS + 1)); }
up() { cut -d' ' -f1 /proc/uptime; }
wait_for() { # FILE PATTERN SECONDS
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# cyclictest histogram (-h) on stdin -> "P50 P99 MAX" in microseconds ("none none none" without
# samples). Leading zeros go before any arithmetic: busybox awk reads "000010" as octal 8.
histogram_pcts() {
	awk 'function num(s) { sub(/^0+/, "", s); return s + 0 }
		/^[0-9]+[ \t]/ { lat = num($1); n = num($2); count[lat] += n; total += n; if (n > 0 && lat > top) top = lat }
		/Overflows:/ { over += num($NF) }
		END {
			if (total == 0) { print "none none none"; exit }
			total += over
			for (l = 0; l <= top; l++) { seen += count[l]
				if (p50 == "" && seen >= 0.5 * total) p50 = l
				if (p99 == "" && seen >= 0.99 * total) p99 = l }
			if (p99 == "") p99 = "overflow"
			print p50, p99, top }'
}
