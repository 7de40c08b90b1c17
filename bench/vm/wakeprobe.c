// SPDX-License-Identifier: Apache-2.0
// wakeprobe PERIOD_US COUNT [WORK_US [WAIT]] - a latency-sensitive periodic task, like an
// audio callback: wakes every PERIOD_US on an absolute CLOCK_MONOTONIC timer (as cyclictest
// does), burns WORK_US of its own CPU time, and sleeps until the next period.
//   wakeup latency = when it ran - when the timer was due
//   missed deadline = its work for a period finished after the period ended, or a whole
//                     period passed without a wakeup (it then skips to the next future one)
// WAIT=1: print "wakeprobe: ready pid=N" and start measuring only on SIGUSR1, so that a
// policy (schedcat apply) can be applied to it before the first sample.
// Prints one line: wakeprobe: samples=N periods=N p50=US p90=US p99=US p999=US max=US avg=US missed=N
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
	int64_t period, work, next, woke, sum = 0;
	long count, periods = 0, missed = 0, n = 0;
	int64_t *lat;

	if (argc < 3) {
		fprintf(stderr, "usage: wakeprobe PERIOD_US COUNT [WORK_US [WAIT]]\n");
		return 2;
	}
	period = atoll(argv[1]) * 1000;
	count = atol(argv[2]);
	work = argc > 3 ? atoll(argv[3]) * 1000 : 0;
	lat = calloc(count, sizeof(*lat));
	if (!lat || period <= 0 || count <= 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 4 && atoi(argv[4]))
		wait_for_start("wakeprobe");
	next = now_ns(CLOCK_MONOTONIC) + period;
	while (n < count) {
		int64_t cpu0, done;

		sleep_until_ns(next);
		woke = now_ns(CLOCK_MONOTONIC);
		lat[n++] = woke - next;
		sum += woke - next;
		cpu0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		while (work && now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0 < work)
			;
		done = now_ns(CLOCK_MONOTONIC);
		periods++;
		if (done > next + period)
			missed++;
		next += period;
		while (next <= done) {	/* periods that passed without a wakeup */
			periods++;
			missed++;
			next += period;
		}
	}
	qsort(lat, n, sizeof(*lat), compare);
	printf("wakeprobe: samples=%ld periods=%ld p50=%.0f p90=%.0f p99=%.0f p999=%.0f max=%.0f avg=%.0f missed=%ld\n",
	       n, periods, percentile_us(lat, n, 0.50), percentile_us(lat, n, 0.90), percentile_us(lat, n, 0.99),
	       percentile_us(lat, n, 0.999), lat[n - 1] / 1000.0, sum / 1000.0 / n, missed);
	return 0;
}
