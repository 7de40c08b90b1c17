// SPDX-License-Identifier: Apache-2.0
// cpuhog NAME SECONDS [RENAME_TO [RENAME_AFTER_MS]] - burn CPU under a chosen comm.
// Sets its comm to NAME (prctl), optionally renames itself to RENAME_TO after RENAME_AFTER_MS
// (default 0), spins for SECONDS of wall time, then prints the CPU time it got and the CPUs it
// ran on (a bit mask of sched_getcpu() samples, from 0.2 s after its last rename: a new name
// takes effect at the scheduler's next look at the task, not within the prctl call).
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static double seconds(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double duration = argc > 2 ? atof(argv[2]) : 5, rename_after = argc > 4 ? atof(argv[4]) / 1000 : 0;
	const char *rename_to = argc > 3 ? argv[3] : NULL;
	unsigned long long cpus_seen = 0;
	volatile unsigned long spin = 0;
	double start, settled = 0.2;

	if (argc > 1)
		prctl(PR_SET_NAME, argv[1], 0, 0, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	start = seconds(CLOCK_MONOTONIC);
	while (seconds(CLOCK_MONOTONIC) - start < duration) {
		if (rename_to && seconds(CLOCK_MONOTONIC) - start >= rename_after) {
			prctl(PR_SET_NAME, rename_to, 0, 0, 0);
			rename_to = NULL;
			settled = seconds(CLOCK_MONOTONIC) - start + 0.2;
		}
		for (int i = 0; i < 100000; i++)
			spin++;
		int cpu = sched_getcpu();
		if (cpu >= 0 && cpu < 64 && seconds(CLOCK_MONOTONIC) - start >= settled)
			cpus_seen |= 1ULL << cpu;
	}
	printf("cpuhog %s: wall=%.2f cpu=%.2f cpus=0x%llx\n", argc > 1 ? argv[1] : "?",
	       seconds(CLOCK_MONOTONIC) - start, seconds(CLOCK_PROCESS_CPUTIME_ID), cpus_seen);
	return 0;
}
