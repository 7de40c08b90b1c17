// SPDX-License-Identifier: Apache-2.0
#ifndef SCHEDCAT_CLIBBPF_SHIM_H
#define SCHEDCAT_CLIBBPF_SHIM_H
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

/* libbpf's log goes to stderr; debug lines only when asked for. */
static int schedcat_libbpf_print_quiet(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, format, args);
}

static int schedcat_libbpf_print_all(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	return vfprintf(stderr, format, args);
}

static inline void schedcat_libbpf_logging(int verbose)
{
	libbpf_set_print(verbose ? schedcat_libbpf_print_all : schedcat_libbpf_print_quiet);
}

static inline int schedcat_errno(void)
{
	return errno;
}

/* LIBBPF_OPTS is a macro: batch updates with default flags. */
static inline int schedcat_map_update_batch(int fd, const void *keys, const void *values, __u32 *count)
{
	struct bpf_map_batch_opts opts = { .sz = sizeof(opts) };

	return bpf_map_update_batch(fd, keys, values, count, &opts);
}
#endif
