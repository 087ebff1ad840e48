/*
 * short=: a read or write the kernel really performs on only part of its
 * buffer, so the program sees a partial transfer.  Changes the call's
 * count argument (or an iovec call's vector) at its entry and puts all of
 * it back at its exit; never touches the bytes transferred.
 */
#ifndef SF_SHORT_IO_H
#define SF_SHORT_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/regs.h"
#include "rules/rule.h"

/* What a shortened call's exit puts back; zeroed when nothing is. */
struct sf_short_undo {
	unsigned arg_mask;       /* the argument shrunk (count or iovcnt), one bit, or 0 */
	uint64_t args[6];        /* its value at entry, at its index */
	uint64_t iov_len_addr;   /* the tracee's iov_len that was cut, or 0 */
	uint64_t iov_len;        /* its value at entry */
	unsigned iov_len_size;   /* 8, or 4 in a 32-bit iovec (i386, x32) */
};

/*
 * The bytes short=SH lets through of a transfer of COUNT: at most
 * SH->bytes, or SH->fraction of COUNT rounded down but at least 1.  COUNT
 * itself when that is no fewer (0 stays 0).
 */
uint64_t sf_short_bytes(const struct sf_short *sh, uint64_t count);

/*
 * At the entry (or seccomp) stop of the call SC, which sf_short_applies()
 * names: shrinks it as SH says, through REGS and the tracee's memory, and
 * fills UNDO.  Returns true when something changed, so the exit must be
 * seen (sf_short_exit); false when the call moves no more than SH allows
 * already, or its iovec array cannot be read (the kernel fails it alike).
 */
bool sf_short_enter(const struct sf_regs_backend *regs, pid_t tid, const struct sf_syscall *sc,
		    const struct sf_short *sh, struct sf_short_undo *undo);

/* At the exit of the call ENTRY: puts back what sf_short_enter changed, then clears UNDO. */
void sf_short_exit(const struct sf_regs_backend *regs, pid_t tid, const struct sf_syscall *entry,
		   struct sf_short_undo *undo);

#endif
