// SPDX-License-Identifier: Apache-2.0
// Clocks and percentiles shared by the guest benchmark probes (wakeprobe.c, framepace.c).
#ifndef BENCH_PROBE_TIME_H
#define BENCH_PROBE_TIME_H
#include <stdint.h>
#include <time.h>

#define NSEC 1000000000LL

static int64_t now_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec * NSEC + t.tv_nsec;
}

static int compare(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static double percentile_us(const int64_t *sorted, long n, double p)
{
	long i = (long)(p * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return sorted[i] / 1000.0;
}

#endif
