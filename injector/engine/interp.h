/*
 * Where a process's program interpreter (the dynamic loader named by the
 * executable's PT_INTERP, elf(5)) has its code, so that the calls it makes
 * itself can be told from the program's.  Read at each exec, from /proc
 * and the loaded image; nothing here calls ptrace or knows about rules.
 */
#ifndef SF_INTERP_H
#define SF_INTERP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* [start, end) spans the interpreter's executable mappings; both 0 when there is none. */
struct sf_interp {
	uint64_t start, end;
};

/*
 * Reads where PID's interpreter is mapped, just after an execve (the
 * tracee stopped at PTRACE_EVENT_EXEC).  A static program has none (AT_BASE
 * 0): *R is then empty, as it is on any error.  Returns 0 or -errno
 * (-ENOENT or -ESRCH when PID is gone, -ENOEXEC when no ELF header is
 * found at AT_BASE, or the errno of reading /proc or PID's memory).
 */
int sf_interp_read(pid_t pid, struct sf_interp *r);

/* Whether IP, a call's instruction pointer, lies in the interpreter's code: two compares. */
static inline bool sf_interp_contains(const struct sf_interp *r, uint64_t ip)
{
	return ip >= r->start && ip < r->end;
}

#endif
