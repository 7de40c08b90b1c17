#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `schedcat catalog audit` under schedcat's sched_ext scheduler, run inside the test VM:
#   scripts/vm-test --guest-script scripts/vm/guest/audit-checks.sh \
#     --add .build/release/TestSpinner:/opt/schedcat/bin/spin-a --add .build/release/TestSpinner:/opt/schedcat/bin/spin-b
# The scheduler loads a catalog with deliberately wrong types: a latency probe typed BG_CPUIO
# beside CPU hogs must come out nerfed, a CPU hog typed LowLatency_RT hog; a probe typed
# LowLatency_RT (the right type) must give no finding. Prints "schedcat-vm: NAME=VALUE" lines.
SC=/opt/schedcat/bin/schedcat
export SCHEDCAT_BPF_OBJECT=/opt/schedcat/scx_catalog.bpf.o
export SCHEDCAT_AUDIT_DIR=/tmp/audit-state
CATALOG=/tmp/audit-catalog.yaml
FAILS=0
. /opt/schedcat/guest-lib.sh

# two copies of TestSpinner: an exe pin names one file, and two rules may not pin the same one
cat > $CATALOG <<YAML
schema: schedcat.catalog/v1
rules:
  - { name: vm-probe, type: BG_CPUIO, source: model }
  - { name: vm-hog, type: LowLatency_RT, source: model, exe: /opt/schedcat/bin/spin-a }
  - { name: vm-audio, type: LowLatency_RT, source: model, exe: /opt/schedcat/bin/spin-b }
  - { name: cpuhog, type: IN_DIFF }
YAML
info "schedstat $(cat /proc/self/schedstat 2>&1) psi $(head -1 /proc/pressure/cpu 2>&1)"
$SC scheduler load --catalog $CATALOG > /tmp/loader.log 2>&1 &
LOADER=$!
if ! wait_for /tmp/loader.log "schedcat: load rules=" 180; then
	fail "the loader did not attach"
	sed 's/^/schedcat-vm-log: /' /tmp/loader.log | tail -20
fi
say state "$(cat /sys/kernel/sched_ext/state)"

# the probe runs a file of its own, so that its class comes from its name alone (until the
# scheduler compared an exe pin's rule name, a probe on spin-b got vm-audio's class in the kernel)
cp /opt/schedcat/bin/spin-b /tmp/vm-probe
/tmp/vm-probe vm-probe 1 120 probe > /dev/null &
probe=$!
/opt/schedcat/bin/spin-a vm-hog 1 120 > /dev/null &
hog=$!
/opt/schedcat/bin/spin-b vm-audio 1 120 probe > /dev/null &
audio=$!
cpuhog cpuhog 120 > /dev/null &
h1=$!
cpuhog cpuhog 120 > /dev/null &
h2=$!
sleep 2
$SC catalog audit --catalog $CATALOG --window 10s > /tmp/audit.txt 2> /tmp/audit.err
sed 's/^/schedcat-vm-log: /' /tmp/audit.txt /tmp/audit.err
found() { grep -Eq "^$1 +$2 " /tmp/audit.txt; }
if found nerfed $probe; then say audit_nerfed 1; else say audit_nerfed 0; fail "the probe typed BG_CPUIO was not found nerfed"; fi
if found hog $hog; then say audit_hog 1; else say audit_hog 0; fail "the hog typed LowLatency_RT was not found a hog"; fi
false_findings=$(grep -Ec "^[a-z-]+ +$audio " /tmp/audit.txt)
say audit_false "$false_findings"
[ "$false_findings" = 0 ] || fail "the probe typed LowLatency_RT gave a finding"
grep -q "^SCHEDULER TYPE" /tmp/audit.txt && say audit_scheduler_types 1 || { say audit_scheduler_types 0; fail "no scheduler per-type counters in the report"; }
say audit_cpu_ms_per_process "$(sed -n 's/.* \([0-9.]*\) ms per process.*/\1/p' /tmp/audit.txt)"
kill $probe $hog $audio $h1 $h2 2> /dev/null
kill -INT $LOADER 2> /dev/null
wait $LOADER 2> /dev/null
[ $FAILS = 0 ] && say vm-result pass || say vm-result fail
