// SPDX-License-Identifier: Apache-2.0
// Clocks, the start signal and percentiles shared by the guest benchmark probes (wakeprobe.c,
// framepace.c).
#ifndef BENCH_PROBE_TIME_H
#define BENCH_PROBE_TIME_H
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define NSEC 1000000000LL

static int64_t now_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec * NSEC + t.tv_nsec;
}

/* Sleeps on the absolute CLOCK_MONOTONIC time `due_ns`, through interruptions. */
static void sleep_until_ns(int64_t due_ns)
{
	struct timespec due = { due_ns / NSEC, due_ns % NSEC };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL))
		;
}

/* Prints "NAME: ready pid=N" and waits for SIGUSR1, so that a policy can reach the probe first. */
static void wait_for_start(const char *name)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("%s: ready pid=%d\n", name, getpid());
	sigwait(&set, &sig);
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
