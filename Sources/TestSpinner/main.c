// SPDX-License-Identifier: Apache-2.0
// TestSpinner: a process for schedcat's tests on the real /proc and kernel (not part of schedcat).
//   TestSpinner NAME THREADS SECONDS [idle|probe]
// Renames itself to NAME with prctl(PR_SET_NAME), starts THREADS-1 threads that sleep 1 ms at a
// time (voluntary context switches), prints "ready", then burns CPU in the main thread for
// SECONDS (or, with "idle", sleeps that long; with "probe", behaves like a latency-sensitive
// program: wakes every 4 ms and computes for 0.3 ms) and exits. It dies with its parent, so a crashed
// test leaves nothing behind.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

static void *napper(void *unused) {
    (void)unused;
    struct timespec nap = {0, 1000000};
    for (;;) nanosleep(&nap, NULL);
    return NULL;
}

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: TestSpinner NAME THREADS SECONDS [idle]\n");
        return 2;
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (prctl(PR_SET_NAME, argv[1], 0, 0, 0) != 0) {
        perror("prctl(PR_SET_NAME)");
        return 1;
    }
    int threads = atoi(argv[2]);
    double seconds = atof(argv[3]);
    for (int i = 1; i < threads; i++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, napper, NULL) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    printf("ready\n");
    fflush(stdout);
    double end = now_seconds() + seconds;
    if (argc == 5 && strcmp(argv[4], "probe") == 0) {
        struct timespec nap = {0, 4000000};
        while (now_seconds() < end) {
            double burst_end = now_seconds() + 0.0003;
            volatile unsigned long work = 0;
            while (now_seconds() < burst_end) work++;
            nanosleep(&nap, NULL);
        }
        return 0;
    }
    if (argc == 5) {
        struct timespec nap = {0, 10000000};
        while (now_seconds() < end) nanosleep(&nap, NULL);
        return 0;
    }
    volatile unsigned long spins = 0;
    while (now_seconds() < end) {
        for (int i = 0; i < 100000; i++) spins++;
    }
    return 0;
}
