#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# schedcat's scheduler benchmarks, run inside the sched_ext test VM by scripts/vm/guest/init
# (bench/run boots it through scripts/vm-test). One boot, one kernel; every repetition runs the
# policies in a rotated order, so no policy always runs first or last.
#
# Policies (modes):
#   eevdf      the kernel's own scheduler, everything at nice 0
#   apply      EEVDF with the bench catalog applied by `schedcat apply` (plain nice, SCHED_IDLE,
#              ioprio: the classic backend)
#   scx_empty  scx_catalog with an empty catalog
#   scx_full   scx_catalog with the bench catalog (the imported CachyOS catalog + the bench rules)
#   scx_full-V scx_catalog built with variant V's settings (bench/run --scx-variant V=...;
#              /opt/schedcat/scx_catalog-V.bpf.o, schedcat.scx_variants=V,...): its arms are
#              named scxV_* where scx_full's are scx_*
#   scx_simple the kernel's own minimal sched_ext example (tools/sched_ext/scx_simple, built by
#              bench/build-scx-examples; left out when /opt/schedcat/bin/scx_simple is absent):
#              the floor any sched_ext scheduler pays under this emulator
# Parts (kernel command line schedcat.parts=dispatch,boost,shares; schedcat.reps=N):
#   dispatch   hackbench, cyclictest (idle system), schbench if present: eevdf, scx_empty, scx_full
#   boost      wakeprobe (LowLatency_RT, 1 ms period, 100 us work) against one BG_CPUIO CPU hog
#              per vCPU: eevdf, apply, scx_full (+ the probe alone under eevdf: the floor); then
#              the same against Heavy_CPU hogs (nice 9, SCHED_OTHER: a build the user started),
#              where plain nice cannot use SCHED_IDLE: apply, scx_full (EEVDF at nice 0 is the
#              same run as with BG_CPUIO hogs)
#   shares     three hogs on one CPU with nice 0 / 3 / 6 classes: apply, scx_full
#   frame      framepace (a "game", classified Game: a frame every 16.7 ms, 6 ms of CPU work per
#              frame) against a parallel build of 2 CPU hogs per vCPU, named cc1plus (Heavy_CPU:
#              nice 9, SCHED_OTHER) and again named bench-build (no rule: nice 0): eevdf, apply,
#              scx_simple, scx_full; missed frames, frame-time percentiles and the build's share of
#              all CPUs (its throughput)
# Output: "schedcat-vm: PART.ARM.METRIC.REP=VALUE" lines, summarised on the host by
# bench/vm/summarize.py; "schedcat-vm: vm-result=pass|fail".
SC=/opt/schedcat/bin/schedcat
export SCHEDCAT_BPF_OBJECT=/opt/schedcat/scx_catalog.bpf.o
FULL=/opt/schedcat/bench-catalog.yaml
EMPTY=/tmp/empty-catalog.yaml
SCHBENCH=/opt/schedcat/bin/schbench
PROBE=/opt/schedcat/bin/wakeprobe
FRAMEPACE=/opt/schedcat/bin/framepace
SCX_SIMPLE=/opt/schedcat/bin/scx_simple
NCPU=$(nproc)
SHARE_CPU=$((NCPU - 1))
FAILS=0

arg() { # NAME DEFAULT: schedcat.NAME=VALUE from the kernel command line
	v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^schedcat\.$1=//p" | tail -1)
	echo "${v:-$2}"
}
REPS=$(arg reps 5)
PARTS=$(arg parts dispatch,boost,shares,frame)
FRAME_PERIOD_US=$(arg frame_period_us 16700)
FRAME_WORK_US=$(arg frame_work_us 6000)
FRAME_COUNT=$(arg frame_count 300)
FRAME_BUILD_PER_CPU=$(arg frame_build_per_cpu 2)
FRAME_WINDOW=$(arg frame_window 3)
HACKBENCH_ARGS=$(arg hackbench "-g 4 -l 200" | tr , ' ')
PROBE_COUNT=$(arg probe_count 5000)
SHARE_WINDOW=$(arg share_window 10)
SCHBENCH_RUNTIME=$(arg schbench_runtime 10)
CYCLIC_LOOPS=$(arg cyclic_loops 5000)
SCX_VARIANTS=$(arg scx_variants "" | tr , ' ')

. /opt/schedcat/guest-lib.sh
has_part() { case ",$PARTS," in *",$1,"*) return 0 ;; esac; return 1; }
nice_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $17}'; }
runtime_ns() { cut -d' ' -f1 "/proc/$1/schedstat" 2>/dev/null; }
wait_nice() { # PID NICE SECONDS: until the policy has reached the process
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		[ "$(nice_of "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
field() { # KEY LINE -> value of KEY=value
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# ---------------------------------------------------------------- policies
LOADER=""
APPLIER=""
scx_state() { cat /sys/kernel/sched_ext/state; }
scx_trouble() { # LOG: what the loader and the kernel said
	tail -5 "$1" | sed 's/^/schedcat-vm-log: /'
	dmesg | grep -iE 'sched_ext|scx' | tail -5 | sed 's/^/schedcat-vm-dmesg: /'
}
start_scx() { # CATALOG LOG [BPF_OBJECT]
	: > "$2"	# truncated before the wait below reads it: a backgrounded redirect may run late
	SCHEDCAT_BPF_OBJECT=${3:-$SCHEDCAT_BPF_OBJECT} $SC scheduler load --catalog "$1" > "$2" 2>&1 &
	LOADER=$!
	if ! wait_for "$2" "schedcat: load rules=" 240 || { sleep 1; [ "$(scx_state)" != enabled ]; }; then
		fail "the scheduler is not attached with $1 (sched_ext $(scx_state))"
		scx_trouble "$2"
		kill -INT $LOADER 2>/dev/null
		wait $LOADER 2>/dev/null
		LOADER=""
		return 1
	fi
}
stop_scx() { # LOG
	[ -n "$LOADER" ] || return 0
	kill -INT $LOADER
	wait $LOADER
	rc=$?
	LOADER=""
	[ $rc = 0 ] || { fail "the scheduler loader exited with $rc"; scx_trouble "$1"; }
	i=0
	while [ "$(scx_state)" != disabled ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
SIMPLE=""
start_simple() {
	: > /tmp/simple.log
	$SCX_SIMPLE > /tmp/simple.log 2>&1 &
	SIMPLE=$!
	i=0
	while [ "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" != simple ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(scx_state)" = enabled ] && [ "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" = simple ] && return 0
	fail "scx_simple is not attached (sched_ext $(scx_state))"
	scx_trouble /tmp/simple.log
	kill -INT $SIMPLE 2>/dev/null
	wait $SIMPLE 2>/dev/null
	SIMPLE=""
	return 1
}
stop_simple() {
	[ -n "$SIMPLE" ] || return 0
	kill -INT $SIMPLE
	wait $SIMPLE
	SIMPLE=""
	i=0
	while [ "$(scx_state)" != disabled ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
start_apply() {
	: > /tmp/apply.log
	$SC apply --catalog "$FULL" > /tmp/apply.out 2> /tmp/apply.log &
	APPLIER=$!
	wait_for /tmp/apply.log "schedcat apply: \(watching\|process events\)" 240 || { fail "schedcat apply did not start"; cat /tmp/apply.log; return 1; }
}
stop_apply() {
	[ -n "$APPLIER" ] || return 0
	kill -INT $APPLIER
	wait $APPLIER
	APPLIER=""
}

# ---------------------------------------------------------------- 1. dispatch cost
dispatch() { # ARM REP
	t=$(hackbench $HACKBENCH_ARGS 2>&1 | sed -n 's/^Time: *//p')
	[ -n "$t" ] && say "dispatch.$1.hackbench_s.$2" "$t" || fail "hackbench gave no time"
	set -- "$1" "$2" $(cyclictest -t1 -i 1000 -l "$CYCLIC_LOOPS" -q -h 100000 2>/dev/null | histogram_pcts)
	say "dispatch.$1.cyclic_p50_us.$2" "$3"
	say "dispatch.$1.cyclic_p99_us.$2" "$4"
	say "dispatch.$1.cyclic_max_us.$2" "$5"
	if [ -x $SCHBENCH ]; then
		$SCHBENCH -m 1 -t "$NCPU" -r "$SCHBENCH_RUNTIME" > /tmp/schbench.out 2>&1
		awk -v arm="$1" -v rep="$2" '
			/Wakeup Latencies percentiles/ { block = "wakeup" }
			/Request Latencies percentiles/ { block = "request" }
			/RPS percentiles/ { block = "rps" }
			block == "wakeup" && /50.0th:/ { w50 = $2 } block == "wakeup" && /99.0th:/ { w99 = $3 }
			block == "request" && /99.0th:/ { r99 = $3 }
			/average rps:/ { rps = $3 }
			END { printf "schedcat-vm: dispatch.%s.schbench_wakeup_p50_us.%s=%s\n", arm, rep, w50
			      printf "schedcat-vm: dispatch.%s.schbench_wakeup_p99_us.%s=%s\n", arm, rep, w99
			      printf "schedcat-vm: dispatch.%s.schbench_request_p99_us.%s=%s\n", arm, rep, r99
			      printf "schedcat-vm: dispatch.%s.schbench_rps.%s=%s\n", arm, rep, rps }' /tmp/schbench.out
	fi
}

# ---------------------------------------------------------------- 2. the latency-sensitive probe
boost() { # ARM REP HOG_NAME|none
	hogs=""
	if [ "$3" != none ]; then
		for _ in $(seq "$NCPU"); do
			cpuhog "$3" 600 > /dev/null &
			hogs="$hogs $!"
		done
	fi
	: > /tmp/probe.out
	$PROBE 1000 "$PROBE_COUNT" 100 1 > /tmp/probe.out &
	probe=$!
	wait_for /tmp/probe.out "wakeprobe: ready" 20 || fail "wakeprobe did not start"
	if [ "$1" = apply ]; then
		wait_nice $probe -12 20 || fail "schedcat apply did not renice wakeprobe (nice $(nice_of $probe))"
		hog_nice=16
		[ "$3" = bench-heavyhog ] && hog_nice=9
		for h in $hogs; do wait_nice "$h" $hog_nice 20 || fail "schedcat apply did not renice a hog (nice $(nice_of "$h"))"; done
	fi
	sleep 0.5
	kill -USR1 $probe
	wait $probe
	[ -n "$hogs" ] && kill $hogs 2>/dev/null
	[ -n "$hogs" ] && wait $hogs 2>/dev/null
	line=$(grep "wakeprobe: samples" /tmp/probe.out)
	[ -n "$line" ] || { fail "wakeprobe gave no result"; return; }
	for key in p50 p99 p999 max missed periods; do
		say "boost.$1.$key.$2" "$(field $key "$line")"
	done
}

# ---------------------------------------------------------------- 3. shares on one CPU
shares() { # ARM REP
	pids=""
	for name in share-a share-b share-c; do
		taskset -c $SHARE_CPU cpuhog $name $((SHARE_WINDOW + 30)) > /dev/null &
		pids="$pids $!"
	done
	if [ "$1" = apply ]; then
		set -- "$1" "$2" $pids
		wait_nice "$4" 3 20 && wait_nice "$5" 6 20 || fail "schedcat apply did not renice the share hogs"
		set -- "$1" "$2"
	fi
	sleep 1
	before=""
	for p in $pids; do before="$before $(runtime_ns "$p")"; done
	sleep "$SHARE_WINDOW"
	after=""
	for p in $pids; do after="$after $(runtime_ns "$p")"; done
	kill $pids 2>/dev/null
	wait $pids 2>/dev/null
	echo "$before | $after" | awk -v arm="$1" -v rep="$2" -v window="$SHARE_WINDOW" '{
		for (i = 1; i <= 3; i++) { d[i] = $(i + 4) - $i; total += d[i] }
		split("a b c", n, " ")
		for (i = 1; i <= 3; i++) printf "schedcat-vm: shares.%s.share_%s.%s=%.4f\n", arm, n[i], rep, d[i] / total
		printf "schedcat-vm: shares.%s.cpu_busy.%s=%.3f\n", arm, rep, total / (window * 1e9) }'
}

# ---------------------------------------------------------------- 4. frame pacing against a build
cpu_snapshot() { # PID...: "UPTIME_S SUM_RUNTIME_NS" of these tasks, read by one awk
	awk -v pids="$*" 'BEGIN { getline up < "/proc/uptime"; split(up, u, " "); n = split(pids, p, " ")
		for (i = 1; i <= n; i++) { f = "/proc/" p[i] "/schedstat"; if ((getline line < f) > 0) { split(line, s, " "); sum += s[1] } close(f) }
		printf "%s %.0f\n", u[1], sum }'
}
frame() { # ARM REP BUILD_NAME
	hogs=""
	for _ in $(seq $((NCPU * FRAME_BUILD_PER_CPU))); do
		cpuhog "$3" 600 > /dev/null &
		hogs="$hogs $!"
	done
	: > /tmp/frame.out
	$FRAMEPACE "$FRAME_PERIOD_US" "$FRAME_WORK_US" "$FRAME_COUNT" 1 > /tmp/frame.out &
	fp=$!
	wait_for /tmp/frame.out "framepace: ready" 20 || fail "framepace did not start"
	case $1 in nice*)
		wait_nice $fp -5 20 || fail "schedcat apply did not renice framepace (nice $(nice_of $fp))"
		if [ "$3" = cc1plus ]; then
			for h in $hogs; do wait_nice "$h" 9 20 || fail "schedcat apply did not renice a build hog (nice $(nice_of "$h"))"; done
		fi ;;
	esac
	sleep 0.5
	kill -USR1 $fp
	sleep 0.5
	# the build's CPU time over a window inside the game's run, read in one process (a shell
	# forking per file under full load would stretch the window it measures)
	before=$(cpu_snapshot $hogs)
	sleep "$FRAME_WINDOW"
	after=$(cpu_snapshot $hogs)
	wait $fp
	kill $hogs 2>/dev/null
	wait $hogs 2>/dev/null
	line=$(grep "framepace: frames" /tmp/frame.out)
	[ -n "$line" ] || { fail "framepace gave no result"; return; }
	for key in missed p50 p99 max frames; do
		say "frame.$1.$key.$2" "$(field $key "$line")"
	done
	say "frame.$1.build_cpu.$2" "$(echo "$before $after" | awk -v n="$NCPU" '{ printf "%.4f", ($4 - $2) / (($3 - $1) * 1e9 * n) }')"
	info "frame $1 rep $2: $line"
}

# ---------------------------------------------------------------- modes
scx_events() { # ARM REP: the scheduler's event counters, for the record
	$SC scheduler status 2>/dev/null | sed -n 's/^events: //p' | sed "s/^/schedcat-vm-info: $1 rep $2 events: /"
	# the kernel's own sched_ext event counters (cumulative since the scheduler attached)
	echo "schedcat-vm-info: $1 rep $2 kernel events: $(tr '\n' ' ' < /sys/kernel/sched_ext/root/events 2>/dev/null)"
}

mode() { # MODE REP
	case $1 in
	eevdf)
		has_part dispatch && dispatch eevdf "$2"
		has_part boost && { boost eevdf "$2" bench-bghog; boost floor "$2" none; }
		has_part frame && frame eevdf "$2" cc1plus
		;;
	apply)
		has_part boost || has_part shares || has_part frame || return 0
		start_apply || return 0
		has_part boost && { boost nice "$2" bench-bghog; boost nice_heavy "$2" bench-heavyhog; }
		has_part shares && shares nice "$2"
		has_part frame && { frame nice_heavy "$2" cc1plus; frame nice_n0 "$2" bench-build; }
		stop_apply
		info "apply rep $2: $(grep -c . /tmp/apply.out) changes made by schedcat apply"
		;;
	scx_empty)
		has_part dispatch || return 0
		start_scx $EMPTY /tmp/scx.log || return 0
		dispatch scx_empty "$2"
		scx_events dispatch_empty "$2"
		stop_scx /tmp/scx.log
		;;
	scx_full*)
		# scx_full: arms scx_*; scx_full-V: the variant's object, arms scxV_*
		v=${1#scx_full}
		v=${v#-}
		start_scx $FULL /tmp/scx.log ${v:+/opt/schedcat/scx_catalog-$v.bpf.o} || return 0
		a=scx$v
		line=$(grep "schedcat: load rules=" /tmp/scx.log)
		[ -z "$v" ] && for key in rules compile_ms fill_ms load_ms; do say "load.scx.$key.$2" "$(field $key "$line")"; done
		has_part dispatch && { dispatch ${a}_full "$2"; scx_events ${a}_dispatch_full "$2"; }
		has_part boost && { boost $a "$2" bench-bghog; boost ${a}_heavy "$2" bench-heavyhog; scx_events ${a}_boost_full "$2"; }
		has_part shares && shares $a "$2"
		has_part frame && { frame ${a}_heavy "$2" cc1plus; frame ${a}_n0 "$2" bench-build; scx_events ${a}_frame_full "$2"; }
		stop_scx /tmp/scx.log
		;;
	scx_simple)
		has_part dispatch || has_part frame || return 0
		start_simple || return 0
		has_part dispatch && dispatch scx_simple "$2"
		has_part frame && frame simple "$2" cc1plus
		stop_simple
		;;
	esac
}

info "kernel=$(uname -r) cpus=$NCPU reps=$REPS parts=$PARTS hackbench='$HACKBENCH_ARGS' schbench=$([ -x $SCHBENCH ] && echo yes || echo no)"
say guest_kernel "$(uname -r)"
say guest_cpus "$NCPU"
say reps "$REPS"
say schbench_present "$([ -x $SCHBENCH ] && echo 1 || echo 0)"
printf 'schema: schedcat.catalog/v1\nrules: []\n' > $EMPTY
[ -f $FULL ] || { fail "no $FULL in the initramfs"; say vm-result fail; exit 1; }
sleep 2	# let boot-time work settle
# warm-up, not measured: the first hackbench and cyclictest after boot ran with boot-time work
# still going (cyclictest p99 2.7-9.2 ms, then 0.1 ms, in the first icount runs)
hackbench $HACKBENCH_ARGS > /dev/null 2>&1
info "warm-up: cyclictest $(cyclictest -t1 -i 1000 -l 1000 -q -h 100000 2>/dev/null | histogram_pcts) ($(up) s)"

MODES="eevdf apply scx_empty scx_full"
for v in $SCX_VARIANTS; do
	[ -f /opt/schedcat/scx_catalog-$v.bpf.o ] && MODES="$MODES scx_full-$v" || fail "no object for scx variant $v"
done
[ -x $SCX_SIMPLE ] && MODES="$MODES scx_simple"
NMODES=$(echo $MODES | wc -w)
say scx_simple_present "$([ -x $SCX_SIMPLE ] && echo 1 || echo 0)"
rep=1
while [ $rep -le "$REPS" ]; do
	# rotate: rep 1 starts with eevdf, rep 2 with apply, ...
	order=$(echo $MODES $MODES | awk -v k=$(((rep - 1) % NMODES)) -v n=$NMODES '{ for (i = 1; i <= n; i++) printf "%s ", $(i + k) }')
	info "rep $rep order: $order($(up) s)"
	for m in $order; do mode "$m" "$rep"; done
	rep=$((rep + 1))
done

dmesg | grep -iE 'sched_ext|scx' | grep -v "enabled\|disabled (unregistered" | tail -5 | sed 's/^/schedcat-vm-dmesg: /'
if [ $FAILS = 0 ]; then say vm-result pass; else say vm-result fail; fi
exit $FAILS
