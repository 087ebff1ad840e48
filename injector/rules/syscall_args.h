/*
 * What each argument of a syscall is: a path, an fd, a buffer and its size
 * ... from syscall_args.in, which is generated from the kernel's own
 * signatures (mk-syscall-args.sh).  The filters (path, fd, fd_type) and
 * short I/O find their arguments here, per ABI, by syscall name.
 */
#ifndef SF_SYSCALL_ARGS_H
#define SF_SYSCALL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "rules/names.h"

enum sf_arg_role {
	SF_ARG_OTHER,
	SF_ARG_FD,       /* a file descriptor the call works on */
	SF_ARG_DIRFD,    /* what the next path is resolved against (AT_FDCWD: the cwd) */
	SF_ARG_PATH,     /* a pathname */
	SF_ARG_BUF,      /* a data buffer; the next argument is its size in bytes */
	SF_ARG_COUNT,    /* the size of the buffer before it */
	SF_ARG_IOV,      /* an iovec array; the next argument is its length */
	SF_ARG_IOVCNT,
	SF_ARG_ADDR,     /* a socket address given to the kernel; its length next */
};

#define SF_SYSCALL_ARGS_MAX 6

struct sf_syscall_args {
	uint8_t role[SF_SYSCALL_ARGS_MAX];   /* enum sf_arg_role */
	uint8_t count;                       /* arguments the call takes; 0 when unknown */
};

struct sf_syscall_args_entry {
	const char *name;
	struct sf_syscall_args args;
};
extern const struct sf_syscall_args_entry sf_syscall_args_table[];   /* sorted by name */
extern const unsigned sf_syscall_args_count;

/* The roles of the arguments of syscall NR of ABI; all SF_ARG_OTHER when unknown. */
const struct sf_syscall_args *sf_syscall_args(enum sf_abi abi, unsigned nr);

/*
 * Whether short= can shrink the call: it moves bytes between an fd and a
 * buffer or an iovec array (read, write, pread64, readv, sendto, ...).
 */
bool sf_short_applies(enum sf_abi abi, unsigned nr);

/* Whether an argument of ROLE names a descriptor: an fd, or a dirfd (AT_FDCWD is none). */
static inline bool sf_arg_is_fd(uint8_t role)
{
	return role == SF_ARG_FD || role == SF_ARG_DIRFD;
}

/* An fd argument's value: the kernel reads an int, whatever the register's upper half. */
static inline int sf_arg_fd(uint64_t reg)
{
	return (int)(int32_t)reg;
}

/* The index of the first argument with ROLE at or after FROM, or -1. */
int sf_syscall_arg_find(const struct sf_syscall_args *a, enum sf_arg_role role, int from);

#endif
