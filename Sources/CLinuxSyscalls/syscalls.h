// SPDX-License-Identifier: Apache-2.0
/* Linux syscalls glibc does not wrap (or wraps with macros Swift cannot import). */
#ifndef SCHEDCAT_LINUX_SYSCALLS_H
#define SCHEDCAT_LINUX_SYSCALLS_H
#include <sys/syscall.h>
#include <unistd.h>
#include <stddef.h>
#include <stdint.h>

#define SCHEDCAT_IOPRIO_WHO_PROCESS 1
#define SCHEDCAT_IOPRIO_CLASS_SHIFT 13

static inline int schedcat_ioprio_set(int tid, int ioclass, int level) {
	return (int)syscall(SYS_ioprio_set, SCHEDCAT_IOPRIO_WHO_PROCESS, tid, (ioclass << SCHEDCAT_IOPRIO_CLASS_SHIFT) | level);
}

/* The raw ioprio value: class << 13 | level; -1 on error. */
static inline int schedcat_ioprio_get(int tid) {
	return (int)syscall(SYS_ioprio_get, SCHEDCAT_IOPRIO_WHO_PROCESS, tid);
}

static inline int schedcat_setaffinity(int tid, const uint64_t *mask, size_t bytes) {
	return (int)syscall(SYS_sched_setaffinity, tid, bytes, mask);
}

/* Bytes of mask written (the kernel's cpumask size), or -1. */
static inline int schedcat_getaffinity(int tid, uint64_t *mask, size_t bytes) {
	return (int)syscall(SYS_sched_getaffinity, tid, bytes, mask);
}

#include <linux/netlink.h>
#include <linux/connector.h>
#include <linux/cn_proc.h>
#include <sys/socket.h>
#include <string.h>

/* Subscribe (listen=1) or unsubscribe (0) to process events on an open connector socket. */
static inline int schedcat_proc_connector_control(int fd, int listen) {
	struct {
		struct nlmsghdr header;
		struct cn_msg message;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) request;
	memset(&request, 0, sizeof(request));
	request.header.nlmsg_len = sizeof(request);
	request.header.nlmsg_type = NLMSG_DONE;
	request.header.nlmsg_pid = (unsigned)getpid();
	request.message.id.idx = CN_IDX_PROC;
	request.message.id.val = CN_VAL_PROC;
	request.message.len = sizeof(enum proc_cn_mcast_op);
	request.op = listen ? PROC_CN_MCAST_LISTEN : PROC_CN_MCAST_IGNORE;
	return send(fd, &request, sizeof(request), 0) == (ssize_t)sizeof(request) ? 0 : -1;
}

/* A netlink socket bound to the process events connector and subscribed; -1 on failure. */
static inline int schedcat_proc_connector_open(void) {
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (fd < 0)
		return -1;
	struct sockaddr_nl address;
	memset(&address, 0, sizeof(address));
	address.nl_family = AF_NETLINK;
	address.nl_groups = CN_IDX_PROC;
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) != 0 || schedcat_proc_connector_control(fd, 1) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}
#endif
