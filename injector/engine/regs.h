/*
 * Register access at a syscall stop, through one small interface with two
 * back ends: PTRACE_GET/SET_SYSCALL_INFO (architecture independent) and
 * PTRACE_GETREGSET/SETREGSET for x86_64 and i386, for kernels without the
 * former.  Callers never see a register layout.
 */
#ifndef SF_REGS_H
#define SF_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum sf_stop_op { SF_OP_NONE, SF_OP_ENTRY, SF_OP_EXIT, SF_OP_SECCOMP };

/*
 * The registers a back end read at a stop, in its own layout, kept so
 * that a write at the same stop costs one ptrace call and no second read.
 * Only the back end that kept them (OWNER) looks inside; OWNER NULL:
 * nothing kept.  Sized for the largest layout, x86_64's user_regs_struct.
 */
struct sf_regs_kept {
	const void *owner;
	uint32_t len;
	_Alignas(8) unsigned char bytes[27 * 8];
};

/*
 * What a syscall stop shows.  At an exit only rval and is_error mean
 * anything (the entry's copy says which call it was): GETREGSET leaves the
 * ABI unread there, -1.
 */
struct sf_syscall {
	enum sf_stop_op op;      /* SF_OP_NONE when the back end cannot tell */
	int abi;                 /* enum sf_abi, or -1 when unknown */
	uint32_t arch;           /* AUDIT_ARCH_* */
	uint64_t raw_nr;         /* as the kernel sees it (x32 bit included) */
	unsigned nr;             /* within its ABI (x32 bit removed) */
	uint64_t args[6];
	uint64_t ip;             /* instruction pointer: just past the syscall instruction */
	int64_t rval;            /* at exit */
	bool is_error;
	uint32_t seccomp_data;   /* SECCOMP_RET_DATA at a seccomp stop */
	struct sf_regs_kept kept; /* valid at this stop only: a copy must drop it (owner NULL) */
};

/*
 * set_nr, set_return and skip take the view get filled at this very stop:
 * they write from the registers it kept (one ptrace call) and keep what
 * they wrote, so several writes at one stop add up.  set_args reads
 * afresh (it may be given the entry's view at the exit) and keeps
 * nothing: it comes last at a stop.  All return 0 or -errno.
 */
struct sf_regs_backend {
	const char *name;
	/* Reads the stop. */
	int (*get)(pid_t tid, struct sf_syscall *sc);
	/* At entry: makes the kernel run syscall NR instead (for none, see skip). */
	int (*set_nr)(pid_t tid, struct sf_syscall *sc, int64_t nr);
	/* At exit: the value the caller sees (-errno for an error). */
	int (*set_return)(pid_t tid, struct sf_syscall *sc, int64_t val);
	/*
	 * At an entry or seccomp stop: the kernel runs no call (number -1)
	 * and the caller sees VAL, both in one write.  x86 keeps the return
	 * register of a skipped call as the tracer left it (do_syscall_64
	 * writes ax only for a number it does not know and is not -1), so
	 * the exit needs nothing more.
	 */
	int (*skip)(pid_t tid, struct sf_syscall *sc, int64_t val);
	/*
	 * Writes ARGS[i] as argument i for each bit i of MASK, at the entry
	 * (or seccomp) stop of the call SC, or at its exit to put back what
	 * the entry changed: the kernel leaves argument registers as the
	 * call found them (x86_64 keeps all but rax, rcx, r11; int $0x80 all
	 * but eax), and compiled code may rely on it.  SC is the entry's
	 * view, whose ABI names the registers.
	 */
	int (*set_args)(pid_t tid, const struct sf_syscall *sc, unsigned mask, const uint64_t args[6]);
};

extern const struct sf_regs_backend sf_regs_info;   /* regs_info.c */
extern const struct sf_regs_backend sf_regs_regset; /* regs_x86.c */

/*
 * The back end to use: SYSFAULT_REGS=info|regset forces one; otherwise info
 * when the kernel has PTRACE_GET_SYSCALL_INFO.  Writes fall back from
 * SET_SYSCALL_INFO (Linux 6.16) to SETREGSET on older kernels.
 */
const struct sf_regs_backend *sf_regs_select(void);

/*
 * For the back ends: the register value that makes argument VAL of a call
 * of ABI, where the register holds REG.  An i386 call reads only the low
 * half; after int $0x80 from 64-bit code the high half is the caller's
 * and stays as it was.
 */
uint64_t sf_regs_arg_word(int abi, uint64_t reg, uint64_t val);

/* For the back ends: keeps LEN bytes of REGS in SC as OWNER's (LEN at most sizeof(kept.bytes)). */
void sf_regs_keep(struct sf_syscall *sc, const void *owner, const void *regs, size_t len);
/* Copies into OUT (SIZE bytes) what OWNER kept in SC; returns its length, 0 when nothing. */
size_t sf_regs_take(const struct sf_syscall *sc, const void *owner, void *out, size_t size);

#endif
