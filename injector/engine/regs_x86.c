/*
 * Register back end over PTRACE_GETREGSET/SETREGSET (NT_PRSTATUS) on
 * x86_64, for kernels without PTRACE_GET_SYSCALL_INFO: one call reads every
 * register.  The kernel answers in the layout of the tracee's mode, the
 * 64-bit user_regs_struct or the i386 one (told apart by the length it
 * returns).  int 0x80 from 64-bit code shows the 64-bit layout and is taken
 * as x86_64: only the syscall-info back end tells it apart (see README).
 */
#include "engine/regs.h"

#include <elf.h>
#include <errno.h>
#include <linux/audit.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "rules/names.h"

/* The kernel's struct user_regs_struct of an i386 task (arch/x86/include/asm/user_32.h). */
struct sf_user_regs_i386 {
	uint32_t ebx, ecx, edx, esi, edi, ebp, eax;
	uint32_t xds, xes, xfs, xgs, orig_eax, eip, xcs, eflags, esp, xss;
};

union sf_user_regs {
	struct user_regs_struct r64;
	struct sf_user_regs_i386 r32;
};

/* Reads the registers; returns the length the kernel filled, or -errno. */
static long get_regs(pid_t tid, union sf_user_regs *u)
{
	struct iovec iov = { u, sizeof(*u) };

	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -errno;
	return (long)iov.iov_len;
}

static int set_regs(pid_t tid, union sf_user_regs *u, size_t len)
{
	struct iovec iov = { u, len };

	if (ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -errno;
	return 0;
}

static bool is_i386_layout(long len)
{
	return len == (long)sizeof(struct sf_user_regs_i386);
}

static void fill_i386(const struct sf_user_regs_i386 *r, struct sf_syscall *sc)
{
	const uint32_t args[6] = { r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp };

	sc->arch = AUDIT_ARCH_I386;
	sc->raw_nr = r->orig_eax;
	sc->rval = (int32_t)r->eax;
	for (int i = 0; i < 6; i++)
		sc->args[i] = args[i];
}

static void fill_x86_64(const struct user_regs_struct *r, struct sf_syscall *sc)
{
	const uint64_t args[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };

	sc->arch = AUDIT_ARCH_X86_64;
	sc->raw_nr = r->orig_rax;
	sc->rval = (int64_t)r->rax;
	memcpy(sc->args, args, sizeof(args));
}

static int user_get(pid_t tid, struct sf_syscall *sc)
{
	union sf_user_regs u;
	long len = get_regs(tid, &u);

	if (len < 0)
		return (int)len;
	memset(sc, 0, sizeof(*sc));
	sc->op = SF_OP_NONE;   /* registers cannot tell entry from exit */
	if (is_i386_layout(len))
		fill_i386(&u.r32, sc);
	else
		fill_x86_64(&u.r64, sc);
	sc->abi = sf_abi_from_arch(sc->arch, sc->raw_nr);
	sc->nr = (unsigned)(sc->raw_nr & ~(uint64_t)SF_X32_SYSCALL_BIT);
	sc->is_error = sc->rval < 0 && sc->rval >= -4095;
	return 0;
}

/* Rewrites orig_ax (IS_NR) or ax with VAL, in whichever layout the tracee has. */
static int user_poke(pid_t tid, bool is_nr, int64_t val)
{
	union sf_user_regs u;
	long len = get_regs(tid, &u);

	if (len < 0)
		return (int)len;
	if (is_i386_layout(len)) {
		if (is_nr)
			u.r32.orig_eax = (uint32_t)val;
		else
			u.r32.eax = (uint32_t)val;
	} else if (is_nr) {
		u.r64.orig_rax = (uint64_t)val;
	} else {
		u.r64.rax = (uint64_t)val;
	}
	return set_regs(tid, &u, (size_t)len);
}

static int user_set_nr(pid_t tid, const struct sf_syscall *sc, int64_t nr)
{
	(void)sc;
	return user_poke(tid, true, nr);
}

static int user_set_return(pid_t tid, const struct sf_syscall *sc, int64_t val)
{
	(void)sc;
	return user_poke(tid, false, val);
}

const struct sf_regs_backend sf_regs_regset = {
	.name = "getregset",
	.get = user_get,
	.set_nr = user_set_nr,
	.set_return = user_set_return,
};
