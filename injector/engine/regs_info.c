/*
 * Register back end over PTRACE_GET_SYSCALL_INFO (Linux 5.3) and
 * PTRACE_SET_SYSCALL_INFO (Linux 6.16).  Debian 12's headers predate the
 * latter and the struct's flags field, so both are defined here.
 */
#include "engine/regs.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>

#include "rules/names.h"

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#define SF_PTRACE_SET_SYSCALL_INFO 0x4212

/* The kernel's struct ptrace_syscall_info as of Linux 6.16. */
struct sf_ptrace_syscall_info {
	uint8_t op;
	uint8_t reserved;
	uint16_t flags;
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	union {
		struct { uint64_t nr; uint64_t args[6]; } entry;
		struct { int64_t rval; uint8_t is_error; } exit;
		struct { uint64_t nr; uint64_t args[6]; uint32_t ret_data; } seccomp;
	};
};

_Static_assert(sizeof(struct sf_ptrace_syscall_info) <= sizeof(((struct sf_regs_kept *)0)->bytes),
	       "struct sf_regs_kept holds the syscall info");

/* Whether SET_SYSCALL_INFO works here; cleared at the first EIO. */
static bool set_supported = true;

static int info_read(pid_t tid, struct sf_ptrace_syscall_info *si)
{
	memset(si, 0, sizeof(*si));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(*si), si) < 0)
		return -errno;
	return 0;
}

static int info_get(pid_t tid, struct sf_syscall *sc)
{
	struct sf_ptrace_syscall_info si;
	int rc = info_read(tid, &si);

	if (rc)
		return rc;
	memset(sc, 0, sizeof(*sc));
	sc->arch = si.arch;
	sc->ip = si.instruction_pointer;
	switch (si.op) {
	case 1:
		sc->op = SF_OP_ENTRY;
		sc->raw_nr = si.entry.nr;
		memcpy(sc->args, si.entry.args, sizeof(sc->args));
		break;
	case 2:
		sc->op = SF_OP_EXIT;
		sc->rval = si.exit.rval;
		sc->is_error = si.exit.is_error;
		break;
	case 3:
		sc->op = SF_OP_SECCOMP;
		sc->raw_nr = si.seccomp.nr;
		sc->seccomp_data = si.seccomp.ret_data;
		memcpy(sc->args, si.seccomp.args, sizeof(sc->args));
		break;
	default:
		sc->op = SF_OP_NONE;
		break;
	}
	sc->abi = sf_abi_from_arch(si.arch, sc->raw_nr);
	sc->nr = (unsigned)(sc->raw_nr & ~(uint64_t)SF_X32_SYSCALL_BIT);
	/*
	 * For an i386 call the kernel copies whole registers (x86's
	 * syscall_get_arguments): after int $0x80 from 64-bit code their
	 * upper halves are whatever the caller left there, and the call
	 * itself reads only the low ones.
	 */
	if (sc->abi == SF_ABI_I386)
		for (int i = 0; i < 6; i++)
			sc->args[i] = (uint32_t)sc->args[i];
	sf_regs_keep(sc, &sf_regs_info, &si, sizeof(si));
	return 0;
}

/*
 * Changes one field of what get read at this stop (read afresh when it
 * kept nothing of ours) and writes it back: the number at an entry or
 * seccomp stop (IS_ENTRY), the result at an exit.
 */
static int info_write(pid_t tid, struct sf_syscall *sc, int64_t val, bool is_entry)
{
	struct sf_ptrace_syscall_info si;

	if (!sf_regs_take(sc, &sf_regs_info, &si, sizeof(si))) {
		int rc = info_read(tid, &si);
		if (rc)
			return rc;
	}
	if (is_entry) {
		if (si.op == 1)
			si.entry.nr = (uint64_t)val;
		else if (si.op == 3)
			si.seccomp.nr = (uint64_t)val;
		else
			return -EINVAL;
	} else {
		if (si.op != 2)
			return -EINVAL;
		si.exit.rval = val;
		si.exit.is_error = val < 0 && val >= -SF_MAX_ERRNO;
	}
	if (ptrace(SF_PTRACE_SET_SYSCALL_INFO, tid, (void *)sizeof(si), &si) < 0)
		return -errno;
	sf_regs_keep(sc, &sf_regs_info, &si, sizeof(si));
	return 0;
}

static int info_set_nr(pid_t tid, struct sf_syscall *sc, int64_t nr)
{
	if (set_supported) {
		int rc = info_write(tid, sc, nr, true);
		if (rc != -EIO)
			return rc;
		set_supported = false;
	}
	return sf_regs_regset.set_nr(tid, sc, nr);
}

static int info_set_return(pid_t tid, struct sf_syscall *sc, int64_t val)
{
	/* Only an exit's op carries a result (see info_skip). */
	if (set_supported && sc->op == SF_OP_EXIT) {
		int rc = info_write(tid, sc, val, false);
		if (rc != -EIO)
			return rc;
		set_supported = false;
	}
	return sf_regs_regset.set_return(tid, sc, val);
}

/*
 * At an entry or seccomp stop SET_SYSCALL_INFO writes the number (and
 * the arguments, unless the number is -1), never the return register
 * (kernel/ptrace.c, ptrace_set_syscall_info_entry; the seccomp op is the
 * same and ignores ret_data), yet a skipped call returns whatever that
 * register holds: both are poked instead (regs_x86.c, user_poke).
 */
static int info_skip(pid_t tid, struct sf_syscall *sc, int64_t val)
{
	return sf_regs_regset.skip(tid, sc, val);
}

/*
 * SET_SYSCALL_INFO takes arguments at an entry or seccomp stop only (an
 * exit's op carries just the result): at the exit they are written with
 * SETREGSET, as everything is on kernels before 6.16.
 */
static int info_set_args(pid_t tid, const struct sf_syscall *sc, unsigned mask,
			 const uint64_t args[6])
{
	struct sf_ptrace_syscall_info si;

	if (!set_supported)
		return sf_regs_regset.set_args(tid, sc, mask, args);
	int rc = info_read(tid, &si);
	if (rc)
		return rc;
	uint64_t *regs = si.op == 1 ? si.entry.args : si.op == 3 ? si.seccomp.args : NULL;
	if (!regs)
		return sf_regs_regset.set_args(tid, sc, mask, args);
	for (int i = 0; i < 6; i++)
		if (mask & (1u << i))
			regs[i] = sf_regs_arg_word(sc->abi, regs[i], args[i]);
	if (ptrace(SF_PTRACE_SET_SYSCALL_INFO, tid, (void *)sizeof(si), &si) == 0)
		return 0;
	if (errno != EIO)
		return -errno;
	set_supported = false;
	return sf_regs_regset.set_args(tid, sc, mask, args);
}

const struct sf_regs_backend sf_regs_info = {
	.name = "syscall-info",
	.get = info_get,
	.set_nr = info_set_nr,
	.set_return = info_set_return,
	.skip = info_skip,
	.set_args = info_set_args,
};
