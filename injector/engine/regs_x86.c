/*
 * Register back end over PTRACE_GETREGSET/SETREGSET (NT_PRSTATUS) on
 * x86_64, for kernels without PTRACE_GET_SYSCALL_INFO: one call reads every
 * register, and a write at the same stop starts from that read (one
 * SETREGSET, never a second GETREGSET).  The kernel answers in the layout
 * of the tracee's mode, the 64-bit user_regs_struct or the i386 one (told
 * apart by the length it returns).  The 64-bit layout is also what
 * int $0x80 from 64-bit code shows, so there the instruction before ip
 * names the ABI; a call whose instruction cannot be read or named gets no
 * ABI (-1), never a guess.
 */
#include "engine/regs.h"

#include <elf.h>
#include <errno.h>
#include <linux/audit.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "engine/tracee_mem.h"
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

_Static_assert(sizeof(union sf_user_regs) <= sizeof(((struct sf_regs_kept *)0)->bytes),
	       "struct sf_regs_kept holds either layout");

/* Writes U and keeps it as what the tracee now has. */
static int put_regs(pid_t tid, struct sf_syscall *sc, union sf_user_regs *u, long len)
{
	int rc = set_regs(tid, u, (size_t)len);

	if (rc == 0)
		sf_regs_keep(sc, &sf_regs_regset, u, (size_t)len);
	return rc;
}

static bool is_i386_layout(long len)
{
	return len == (long)sizeof(struct sf_user_regs_i386);
}

/*
 * The ABI of a call in the 64-bit layout, from the instruction that made
 * it: at a syscall or seccomp stop ip is just past it.  int $0x80 (cd 80)
 * is i386; syscall (0f 05) is x86_64, or x32 with __X32_SYSCALL_BIT in the
 * number; sysenter (0f 34) only ever reaches the compat entry, so it is
 * i386 (that entry also records a 32-bit cs and moves ip to the vDSO's
 * landing pad after an int $0x80: arch/x86/entry/entry_64_compat.S, so
 * it rarely shows as itself).  Returns -1 when the bytes cannot be read
 * or are none of these.
 */
static int abi_of_instruction(pid_t tid, uint64_t ip, uint64_t raw_nr)
{
	unsigned char insn[2];

	if (ip < sizeof(insn) || sf_mem_read(tid, ip - sizeof(insn), insn, sizeof(insn)))
		return -1;
	if ((insn[0] == 0xcd && insn[1] == 0x80) || (insn[0] == 0x0f && insn[1] == 0x34))
		return SF_ABI_I386;
	if (insn[0] == 0x0f && insn[1] == 0x05)
		return sf_abi_from_arch(AUDIT_ARCH_X86_64, raw_nr);
	return -1;
}

static void fill_i386(const struct sf_user_regs_i386 *r, struct sf_syscall *sc)
{
	const uint32_t args[6] = { r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp };

	sc->arch = AUDIT_ARCH_I386;
	sc->raw_nr = r->orig_eax;
	sc->ip = r->eip;
	sc->rval = (int32_t)r->eax;
	for (int i = 0; i < 6; i++)
		sc->args[i] = args[i];
}

/* An i386 call from 64-bit code: the kernel reads only the low halves (SC_IA32_REGS_TO_ARGS). */
static void fill_i386_from_64(const struct user_regs_struct *r, struct sf_syscall *sc)
{
	const uint64_t args[6] = { r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp };

	sc->arch = AUDIT_ARCH_I386;
	sc->raw_nr = (uint32_t)r->orig_rax;
	sc->rval = (int32_t)(uint32_t)r->rax;
	for (int i = 0; i < 6; i++)
		sc->args[i] = (uint32_t)args[i];
}

static void fill_x86_64(const struct user_regs_struct *r, struct sf_syscall *sc)
{
	const uint64_t args[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };

	sc->arch = AUDIT_ARCH_X86_64;
	sc->raw_nr = r->orig_rax;
	sc->rval = (int64_t)r->rax;
	memcpy(sc->args, args, sizeof(args));
}

/*
 * The 64-bit layout.  Every entry path sets ax to -ENOSYS before the
 * syscall-entry or seccomp stop (arch/x86/entry; strace's "not a syscall
 * entry" check rests on it), so any other value is an exit.  There the
 * ABI is not read: the engine has it from the entry, the kernel keeps an
 * i386 result sign-extended in rax, and rax is written alike for both.
 */
static void fill_64_layout(pid_t tid, const struct user_regs_struct *r, struct sf_syscall *sc)
{
	sc->ip = r->rip;
	if ((int64_t)r->rax != -ENOSYS) {
		sc->op = SF_OP_EXIT;
		sc->abi = -1;
		sc->rval = (int64_t)r->rax;
		return;
	}
	sc->abi = abi_of_instruction(tid, r->rip, r->orig_rax);
	if (sc->abi == SF_ABI_I386) {
		fill_i386_from_64(r, sc);
	} else {
		fill_x86_64(r, sc);
		if (sc->abi < 0)
			sc->arch = 0;   /* not known to be x86_64 either */
	}
}

static int user_get(pid_t tid, struct sf_syscall *sc)
{
	union sf_user_regs u;
	long len = get_regs(tid, &u);

	if (len < 0)
		return (int)len;
	memset(sc, 0, sizeof(*sc));
	sc->op = SF_OP_NONE;   /* registers tell an exit only by its result (fill_64_layout) */
	if (is_i386_layout(len)) {
		fill_i386(&u.r32, sc);
		sc->abi = SF_ABI_I386;
	} else {
		fill_64_layout(tid, &u.r64, sc);
	}
	sc->nr = (unsigned)(sc->raw_nr & ~(uint64_t)SF_X32_SYSCALL_BIT);
	sc->is_error = sc->rval < 0 && sc->rval >= -SF_MAX_ERRNO;
	sf_regs_keep(sc, &sf_regs_regset, &u, (size_t)len);
	return 0;
}

/*
 * Sets orig_ax (the number) when SET_NR and ax (the result) when SET_VAL,
 * in one SETREGSET from the registers GETREGSET read at this stop, in
 * whichever layout the tracee has.  When this back end read nothing here
 * (the syscall-info one read the stop), each goes in a POKEUSER of its
 * own and nothing is read: on a 2-CPU VM a GETREGSET cost about as much
 * as three POKEUSERs.  A 64-bit tracer pokes the 64-bit layout whatever
 * the tracee's mode.  The 64-bit write, sign-extended, serves an i386
 * call there too: the kernel takes the number as (int)orig_ax and the
 * caller reads eax.
 */
static int user_poke(pid_t tid, struct sf_syscall *sc, bool set_nr, int64_t nr, bool set_val,
		     int64_t val)
{
	union sf_user_regs u;
	long len = (long)sf_regs_take(sc, &sf_regs_regset, &u, sizeof(u));

	if (len == 0) {
		sc->kept.owner = NULL;   /* what another back end kept no longer holds */
		if (set_nr && ptrace(PTRACE_POKEUSER, tid,
				     (void *)offsetof(struct user_regs_struct, orig_rax), (void *)nr) < 0)
			return -errno;
		if (set_val && ptrace(PTRACE_POKEUSER, tid,
				      (void *)offsetof(struct user_regs_struct, rax), (void *)val) < 0)
			return -errno;
		return 0;
	}
	if (is_i386_layout(len)) {
		if (set_nr)
			u.r32.orig_eax = (uint32_t)nr;
		if (set_val)
			u.r32.eax = (uint32_t)val;
	} else {
		if (set_nr)
			u.r64.orig_rax = (uint64_t)nr;
		if (set_val)
			u.r64.rax = (uint64_t)val;
	}
	return put_regs(tid, sc, &u, len);
}

static int user_set_nr(pid_t tid, struct sf_syscall *sc, int64_t nr)
{
	return user_poke(tid, sc, true, nr, false, 0);
}

static int user_set_return(pid_t tid, struct sf_syscall *sc, int64_t val)
{
	return user_poke(tid, sc, false, 0, true, val);
}

static int user_skip(pid_t tid, struct sf_syscall *sc, int64_t val)
{
	return user_poke(tid, sc, true, -1, true, val);
}

/* Each layout's argument registers, in argument order, as fill_* reads them. */
static int user_set_args(pid_t tid, const struct sf_syscall *sc, unsigned mask,
			 const uint64_t args[6])
{
	union sf_user_regs u;
	long len = get_regs(tid, &u);

	if (len < 0)
		return (int)len;
	if (is_i386_layout(len)) {
		struct sf_user_regs_i386 *r = &u.r32;
		uint32_t *regs[6] = { &r->ebx, &r->ecx, &r->edx, &r->esi, &r->edi, &r->ebp };
		for (int i = 0; i < 6; i++)
			if (mask & (1u << i))
				*regs[i] = (uint32_t)args[i];
	} else {
		struct user_regs_struct *r = &u.r64;
		unsigned long long *i386[6] = { &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi, &r->rbp };
		unsigned long long *x86_64[6] = { &r->rdi, &r->rsi, &r->rdx, &r->r10, &r->r8, &r->r9 };
		unsigned long long **regs = sc->abi == SF_ABI_I386 ? i386 : x86_64;
		for (int i = 0; i < 6; i++)
			if (mask & (1u << i))
				*regs[i] = sf_regs_arg_word(sc->abi, *regs[i], args[i]);
	}
	return set_regs(tid, &u, (size_t)len);
}

const struct sf_regs_backend sf_regs_regset = {
	.name = "getregset",
	.get = user_get,
	.set_nr = user_set_nr,
	.set_return = user_set_return,
	.skip = user_skip,
	.set_args = user_set_args,
};
