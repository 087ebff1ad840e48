/*
 * Seccomp filter, generated here as classic BPF rather than through
 * libseccomp: libseccomp 2.5 refuses many exact numbers on non-native ABIs
 * (it rewrites i386 socket calls and checks numbers against its own
 * tables, answering EDOM or EFAULT), while a rule here is one (ABI, number)
 * pair the kernel will see.  The program checks the ABI, then compares the
 * number with each run of selected numbers.  An ABI it does not know is
 * never allowed silently: it goes to the tracer, which passes it through
 * untouched and says so.
 */
#include "engine/seccomp_filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/placement.h"
#include "engine/raw_syscall.h"

struct bpf_buf {
	struct sock_filter *v;
	unsigned n, cap;
	int err;
};

static void emit(struct bpf_buf *b, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (b->err)
		return;
	if (b->n == b->cap) {
		unsigned cap = b->cap ? b->cap * 2 : 64;
		struct sock_filter *v = realloc(b->v, cap * sizeof(*v));
		if (!v) {
			b->err = -ENOMEM;
			return;
		}
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = (struct sock_filter){ code, jt, jf, k };
}

#define RET_TRACE(data) (SECCOMP_RET_TRACE | (data))

/* What goes to the tracer: the rules' calls, and affinity calls when placement watches. */
struct selection {
	const struct sf_rules *rules;
	bool watch_affinity;
};

static bool is_selected(const struct selection *s, enum sf_abi abi, unsigned nr)
{
	return sf_rules_select(s->rules, abi, nr) ||
	       (s->watch_affinity && sf_placement_watches(abi, nr));
}

/*
 * One block per run [lo, hi] of numbers ABI selects, then ALLOW for every
 * other number.  The accumulator holds the number (x32 bit already removed).
 */
static void emit_numbers(struct bpf_buf *b, const struct selection *s, enum sf_abi abi)
{
	for (unsigned lo = 0; lo < SF_NR_LIMIT; lo++) {
		if (!is_selected(s, abi, lo))
			continue;
		unsigned hi = lo;
		while (hi + 1 < SF_NR_LIMIT && is_selected(s, abi, hi + 1))
			hi++;
		if (lo == hi) {
			emit(b, BPF_JMP | BPF_JEQ | BPF_K, lo, 0, 1);
		} else {
			emit(b, BPF_JMP | BPF_JGE | BPF_K, lo, 0, 2);
			emit(b, BPF_JMP | BPF_JGT | BPF_K, hi, 1, 0);
		}
		emit(b, BPF_RET | BPF_K, RET_TRACE(SF_SECCOMP_SELECTED), 0, 0);
		lo = hi;
	}
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
}

static void emit_load_nr(struct bpf_buf *b)
{
	emit(b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
}

/* Points the unconditional jump at AT to the next instruction emitted. */
static void land_here(struct bpf_buf *b, unsigned at)
{
	if (!b->err)
		b->v[at].k = b->n - at - 1;
}

int sf_seccomp_build(const struct sf_rules *rules, bool watch_affinity,
		     struct sf_seccomp_prog *prog)
{
	struct bpf_buf b = { 0 };
	const struct selection sel = { rules, watch_affinity };

	memset(prog, 0, sizeof(*prog));
	/* Conditional jumps reach 255 instructions; BPF_JA reaches any. */
	emit(&b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	emit(&b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 1);
	unsigned to_i386 = b.n;
	emit(&b, BPF_JMP | BPF_JA, 0, 0, 0);
	emit(&b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	emit(&b, BPF_RET | BPF_K, RET_TRACE(SF_SECCOMP_BADARCH), 0, 0);
	/* x86_64 and x32 share AUDIT_ARCH_X86_64; x32 numbers carry a bit. */
	emit_load_nr(&b);
	emit(&b, BPF_JMP | BPF_JSET | BPF_K, SF_X32_SYSCALL_BIT, 0, 1);
	unsigned to_x32 = b.n;
	emit(&b, BPF_JMP | BPF_JA, 0, 0, 0);
	emit_numbers(&b, &sel, SF_ABI_X86_64);
	land_here(&b, to_x32);
	emit(&b, BPF_ALU | BPF_AND | BPF_K, ~SF_X32_SYSCALL_BIT, 0, 0);
	emit_numbers(&b, &sel, SF_ABI_X32);
	land_here(&b, to_i386);
	emit_load_nr(&b);
	emit_numbers(&b, &sel, SF_ABI_I386);
	if (!b.err && b.n > BPF_MAXINSNS)
		b.err = -E2BIG;
	if (b.err) {
		free(b.v);
		return b.err;
	}
	prog->insns = b.v;
	prog->len = (unsigned short)b.n;
	return 0;
}

void sf_seccomp_release(struct sf_seccomp_prog *prog)
{
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
}

int sf_seccomp_install(const struct sf_seccomp_prog *prog)
{
	struct sock_fprog fprog = { prog->len, prog->insns };
	long r = sf_raw3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);

	/* Without CAP_SYS_ADMIN the kernel asks for NO_NEW_PRIVS (see README). */
	if (r != -EACCES)
		return (int)r;
	r = sf_raw6(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
	return (int)(r < 0 ? r : sf_raw3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog));
}

bool sf_seccomp_available(void)
{
	/* EFAULT: the kernel knows the operation and looked at the (NULL) program. */
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL) < 0 && errno == EFAULT;
}
