/*
 * Register back end over the x86_64 user area (PEEKUSER/POKEUSER), for
 * kernels without PTRACE_GET_SYSCALL_INFO.  A 64-bit tracer always sees the
 * 64-bit layout, whatever the tracee's mode; the ABI is told by the code
 * segment, so int 0x80 from 64-bit code is seen as x86_64 here (only the
 * syscall-info back end tells it apart; see README).
 */
#include "regs.h"

#include <errno.h>
#include <linux/audit.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "names.h"

/* Code segment selectors of 64-bit and 32-bit user mode on Linux x86_64. */
#define SF_USER_CS_64 0x33
#define SF_USER_CS_32 0x23

#define UOFF(field) offsetof(struct user_regs_struct, field)

static int peek(pid_t tid, size_t off, uint64_t *val)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, (void *)off, NULL);
	if (v == -1 && errno)
		return -errno;
	*val = (uint64_t)v;
	return 0;
}

static int user_get(pid_t tid, struct sf_syscall *sc)
{
	int rc;
	uint64_t cs, orig, ax;

	memset(sc, 0, sizeof(*sc));
	if ((rc = peek(tid, UOFF(cs), &cs)) || (rc = peek(tid, UOFF(orig_rax), &orig)) ||
	    (rc = peek(tid, UOFF(rax), &ax)))
		return rc;
	sc->op = SF_OP_NONE;   /* the user area cannot tell entry from exit */
	if (cs == SF_USER_CS_32) {
		sc->arch = AUDIT_ARCH_I386;
		orig = (uint32_t)orig;
	} else {
		sc->arch = AUDIT_ARCH_X86_64;
	}
	sc->raw_nr = orig;
	sc->abi = sf_abi_from_arch(sc->arch, orig);
	sc->nr = (unsigned)(orig & ~(uint64_t)SF_X32_SYSCALL_BIT);
	sc->rval = (int64_t)ax;
	sc->is_error = sc->rval < 0 && sc->rval >= -4095;
	static const size_t arg_off[6] = { UOFF(rdi), UOFF(rsi), UOFF(rdx),
					   UOFF(r10), UOFF(r8), UOFF(r9) };
	static const size_t arg_off32[6] = { UOFF(rbx), UOFF(rcx), UOFF(rdx),
					     UOFF(rsi), UOFF(rdi), UOFF(rbp) };
	for (int i = 0; i < 6; i++) {
		size_t off = cs == SF_USER_CS_32 ? arg_off32[i] : arg_off[i];
		if ((rc = peek(tid, off, &sc->args[i])))
			return rc;
	}
	return 0;
}

static int poke(pid_t tid, size_t off, int64_t val)
{
	if (ptrace(PTRACE_POKEUSER, tid, (void *)off, (void *)val) < 0)
		return -errno;
	return 0;
}

static int user_set_nr(pid_t tid, const struct sf_syscall *sc, int64_t nr)
{
	return poke(tid, UOFF(orig_rax), nr);
}

static int user_set_return(pid_t tid, const struct sf_syscall *sc, int64_t val)
{
	return poke(tid, UOFF(rax), val);
}

const struct sf_regs_backend sf_regs_user = {
	.name = "user-area",
	.get = user_get,
	.set_nr = user_set_nr,
	.set_return = user_set_return,
};
