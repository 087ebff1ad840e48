/*
 * A stopped tracee's memory, read and written through one place:
 * process_vm_readv/writev (one call, no extra stop), and PTRACE_PEEKDATA /
 * POKEDATA when those are refused (memory mapped without read or write
 * permission, which ptrace reaches with FOLL_FORCE, as a debugger does).
 * A bad pointer in the tracee is an answer (-EFAULT), never sysfault's
 * failure: callers treat it as "no such path" or "not poked".
 */
#ifndef SF_TRACEE_MEM_H
#define SF_TRACEE_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads LEN bytes at ADDR of TID.  Returns 0, -EFAULT (unmapped), or -errno. */
int sf_mem_read(pid_t tid, uint64_t addr, void *out, size_t len);

/*
 * Reads the NUL-terminated string at ADDR into OUT (CAP bytes, the NUL
 * included), page by page so that a string ending just before an unmapped
 * page is still read.  Returns its length, -ENAMETOOLONG when no NUL comes
 * within CAP - 1 bytes (OUT then holds the first CAP - 1), -EFAULT or -errno.
 */
long sf_mem_read_string(pid_t tid, uint64_t addr, char *out, size_t cap);

/* Writes LEN bytes of SRC at ADDR of TID (read-only pages too, as strace's poke). */
int sf_mem_write(pid_t tid, uint64_t addr, const void *src, size_t len);

#endif
