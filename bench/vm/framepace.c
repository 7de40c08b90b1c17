// SPDX-License-Identifier: Apache-2.0
// framepace PERIOD_US WORK_US FRAMES [WAIT] - a frame-paced task, like a game's render loop:
// frame k is due at start + k * PERIOD_US (absolute CLOCK_MONOTONIC timer); it burns WORK_US of
// its own CPU time and sleeps until the next frame.
//   frame time = when the frame's work finished - when the frame was due (WORK_US at best)
//   missed     = the frame finished after the next one was due, or a whole frame passed without
//                a wakeup (it then skips to the next future frame, counting each skipped one)
// WAIT=1: print "framepace: ready pid=N" and start only on SIGUSR1 (a policy can reach it first).
// Prints: framepace: frames=N missed=N p50=US p90=US p99=US max=US work_us=N period_us=N spins_per_ms=N
// spins_per_ms (the busy loop's iterations per ms of CPU time) says how much work fits a frame
// on this machine: under the emulator it is 10-100x lower than on hardware.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "probe-time.h"

int main(int argc, char **argv)
{
	int64_t period, work, next, start_cpu, spent_cpu = 0;
	long frames, n = 0, missed = 0, spins = 0;
	int64_t *frame_time;

	if (argc < 4) {
		fprintf(stderr, "usage: framepace PERIOD_US WORK_US FRAMES [WAIT]\n");
		return 2;
	}
	period = atoll(argv[1]) * 1000;
	work = atoll(argv[2]) * 1000;
	frames = atol(argv[3]);
	frame_time = calloc(frames, sizeof(*frame_time));
	if (!frame_time || period <= 0 || work < 0 || frames <= 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 4 && atoi(argv[4]))
		wait_for_start("framepace");
	next = now_ns(CLOCK_MONOTONIC) + period;
	while (n < frames) {
		int64_t cpu0, done;

		sleep_until_ns(next);
		cpu0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		start_cpu = cpu0;
		while (now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0 < work)
			spins++;
		spent_cpu += now_ns(CLOCK_THREAD_CPUTIME_ID) - start_cpu;
		done = now_ns(CLOCK_MONOTONIC);
		frame_time[n++] = done - next;
		if (done > next + period)
			missed++;
		next += period;
		while (next + period <= done && n < frames) {	/* frames that never started */
			frame_time[n++] = done - next;
			missed++;
			next += period;
		}
	}
	qsort(frame_time, n, sizeof(*frame_time), compare);
	printf("framepace: frames=%ld missed=%ld p50=%.0f p90=%.0f p99=%.0f max=%.0f work_us=%lld period_us=%lld spins_per_ms=%.0f\n",
	       n, missed, percentile_us(frame_time, n, 0.50), percentile_us(frame_time, n, 0.90),
	       percentile_us(frame_time, n, 0.99), frame_time[n - 1] / 1000.0, (long long)(work / 1000),
	       (long long)(period / 1000), spent_cpu > 0 ? spins * 1e6 / spent_cpu : 0.0);
	return 0;
}
