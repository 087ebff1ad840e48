/*
 * Seccomp filter, generated here as classic BPF rather than through
 * libseccomp: libseccomp 2.5 refuses many exact numbers on non-native ABIs
 * (it rewrites i386 socket calls and checks numbers against its own
 * tables, answering EDOM or EFAULT), while a rule here is one (ABI, number)
 * pair the kernel will see.  The program checks the ABI, then compares the
 * number with each run of selected numbers.  An ABI it does not know is
 * never allowed silently: it goes to the tracer, which passes it through
 * untouched and says so.
 *
 * Where every rule selecting a number has conditions the filter can decide
 * from seccomp_data (fd numbers, raw arguments, --trace-fds), that number
 * gets a block of its own that stops only the calls some rule could
 * match.  It is a pre-filter, never the judge: the tracer checks every
 * filter again at the stop, so a block must never drop a call a rule could
 * match, and what it cannot decide (paths, fd_path, fd_type, process, caller)
 * counts as true.
 */
#include "engine/seccomp_filter.h"

#include <errno.h>
#include <limits.h>
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
#include "engine/route.h"
#include "rules/syscall_args.h"

/* A program being built; with IS_COUNTING only its length is kept (sf_seccomp_build fits it). */
struct bpf_buf {
	struct sock_filter *v;
	unsigned n, cap;
	int err;
	bool is_counting;
};

static void emit(struct bpf_buf *b, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (b->err)
		return;
	if (b->is_counting) {
		b->n++;
		return;
	}
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

static void emit_all(struct bpf_buf *b, const struct sock_filter *v, unsigned n)
{
	if (b->is_counting && !b->err) {
		b->n += n;
		return;
	}
	for (unsigned i = 0; i < n; i++)
		emit(b, v[i].code, v[i].k, v[i].jt, v[i].jf);
}

#define RET_TRACE(data) (SECCOMP_RET_TRACE | (data))
#define RET_SELECTED RET_TRACE(SF_SECCOMP_SELECTED)

/* ---- The test of one rule on one call ------------------------------------ */

/*
 * A rule's test is a list of clauses that must all hold, then RET TRACE.
 * A clause that fails jumps past that RET TRACE, to the next rule's test;
 * so every jump stays inside the test, which is kept within the reach of a
 * conditional jump (255 instructions) and so never needs a BPF_JA.
 */
#define RULE_TEST_MAX 256

enum {
	TO_PASS = -1,   /* the end of the clause: it holds */
	TO_FAIL = -2,   /* past the test's RET TRACE: the rule cannot match this call */
};

struct rule_test {
	struct sock_filter insn[RULE_TEST_MAX];
	/*
	 * Where each jump goes: an offset, TO_PASS or TO_FAIL.  int, not
	 * int16_t: with int16_t, GCC 12.2's loop optimizations (-O1 and up)
	 * folded test_land() into a no-op; unit_seccomp_bpf catches that.
	 */
	int jt_to[RULE_TEST_MAX], jf_to[RULE_TEST_MAX];
	unsigned n;
	bool is_false;       /* some clause never holds here */
	bool is_too_big;     /* past RULE_TEST_MAX: the call stays unconditional */
};

static void test_emit(struct rule_test *t, uint16_t code, uint32_t k, int jt, int jf)
{
	if (t->n == RULE_TEST_MAX) {
		t->is_too_big = true;
		return;
	}
	t->insn[t->n] = (struct sock_filter){ code, (uint8_t)(jt > 0 ? jt : 0),
					      (uint8_t)(jf > 0 ? jf : 0), k };
	t->jt_to[t->n] = jt;
	t->jf_to[t->n] = jf;
	t->n++;
}

/* Points the jumps to LABEL emitted since FROM at the next instruction (at most 255 on). */
static void test_land(struct rule_test *t, unsigned from, int label)
{
	for (unsigned i = from; i < t->n; i++) {
		if (t->jt_to[i] == label) {
			t->insn[i].jt = (uint8_t)(t->n - i - 1);
			t->jt_to[i] = 0;
		}
		if (t->jf_to[i] == label) {
			t->insn[i].jf = (uint8_t)(t->n - i - 1);
			t->jf_to[i] = 0;
		}
	}
}

/* Argument I's low or high 32 bits: seccomp_data.args are 64-bit and x86 is little-endian. */
static void test_load_arg(struct rule_test *t, unsigned i, bool is_high)
{
	test_emit(t, BPF_LD | BPF_W | BPF_ABS,
		  (uint32_t)(offsetof(struct seccomp_data, args) + 8 * i + (is_high ? 4 : 0)), 0, 0);
}

static const struct sf_fd_range any_fd = { 0, INT_MAX };

/*
 * Clause: some fd argument of the call is in one of the N ranges V.  An fd
 * is an int, so only the low word counts (as filter.c's fd_arg); a negative
 * one is above INT_MAX unsigned and so in no range, as the tracer finds.
 */
static void clause_fds(struct rule_test *t, const struct sf_syscall_args *roles,
		       const struct sf_fd_range *v, unsigned n)
{
	struct sf_fd_range r[RULE_TEST_MAX];
	unsigned nr = 0;
	int last_arg = -1;

	for (unsigned i = 0; i < n; i++) {
		int64_t lo = v[i].lo < 0 ? 0 : v[i].lo, hi = v[i].hi > INT_MAX ? INT_MAX : v[i].hi;
		if (lo > hi)
			continue;
		if (nr == RULE_TEST_MAX) {
			t->is_too_big = true;
			return;
		}
		r[nr++] = (struct sf_fd_range){ lo, hi };
	}
	for (int i = 0; i < SF_SYSCALL_ARGS_MAX; i++)
		if (sf_arg_is_fd(roles->role[i]))
			last_arg = i;
	if (last_arg < 0 || nr == 0) {
		t->is_false = true;
		return;
	}
	unsigned start = t->n;
	for (int i = 0; i <= last_arg; i++) {
		if (!sf_arg_is_fd(roles->role[i]))
			continue;
		test_load_arg(t, (unsigned)i, false);
		for (unsigned j = 0; j < nr; j++) {
			bool is_last = i == last_arg && j == nr - 1;
			int next = is_last ? TO_FAIL : 0;
			uint32_t lo = (uint32_t)r[j].lo, hi = (uint32_t)r[j].hi;
			if (lo == hi) {
				test_emit(t, BPF_JMP | BPF_JEQ | BPF_K, lo, TO_PASS, next);
			} else if (lo == 0) {
				test_emit(t, BPF_JMP | BPF_JGT | BPF_K, hi, next, TO_PASS);
			} else {
				test_emit(t, BPF_JMP | BPF_JGE | BPF_K, lo, 0, is_last ? TO_FAIL : 1);
				test_emit(t, BPF_JMP | BPF_JGT | BPF_K, hi, next, TO_PASS);
			}
		}
	}
	test_land(t, start, TO_PASS);
}

/* ARG & M == V, 32 bits at a time; M is not 0 and V has no bit outside M. */
static void emit_masked_eq(struct rule_test *t, unsigned arg, uint64_t m, uint64_t v,
			   int on_eq, int on_ne)
{
	uint32_t mw[2] = { (uint32_t)m, (uint32_t)(m >> 32) };
	uint32_t vw[2] = { (uint32_t)v, (uint32_t)(v >> 32) };

	for (int w = 1; w >= 0; w--) {
		if (!mw[w])
			continue;
		bool is_last = w == 0 || !mw[0];
		test_load_arg(t, arg, w == 1);
		if (mw[w] != UINT32_MAX)
			test_emit(t, BPF_ALU | BPF_AND | BPF_K, mw[w], 0, 0);
		test_emit(t, BPF_JMP | BPF_JEQ | BPF_K, vw[w], is_last ? on_eq : 0, on_ne);
	}
}

/* ARG & M != 0: some bit of the (non-zero) mask set. */
static void emit_any(struct rule_test *t, unsigned arg, uint64_t m)
{
	uint32_t mw[2] = { (uint32_t)m, (uint32_t)(m >> 32) };

	for (int w = 1; w >= 0; w--) {
		if (!mw[w])
			continue;
		bool is_last = w == 0 || !mw[0];
		test_load_arg(t, arg, w == 1);
		test_emit(t, BPF_JMP | BPF_JSET | BPF_K, mw[w], TO_PASS, is_last ? TO_FAIL : 0);
	}
}

/* ARG > V (or >= V unless IS_STRICT), unsigned: the high word decides unless it is equal. */
static void emit_above(struct rule_test *t, unsigned arg, uint64_t v, bool is_wide, bool is_strict,
		       int on_true, int on_false)
{
	if (is_wide) {
		test_load_arg(t, arg, true);
		test_emit(t, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)(v >> 32), on_true, 0);
		test_emit(t, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(v >> 32), 0, on_false);
	}
	test_load_arg(t, arg, false);
	test_emit(t, BPF_JMP | (is_strict ? BPF_JGT : BPF_JGE) | BPF_K, (uint32_t)v, on_true, on_false);
}

/*
 * Clause: condition C, as filter.c's cond_holds reads it: 64 bits wide,
 * or 32 on i386, where the kernel reads only the low word (the high one
 * may hold anything after an int 0x80 from 64-bit code), and for == or !=
 * a negative int (IS_INT32).  A condition that holds or fails whatever the
 * argument adds no code.
 */
static void clause_cond(struct rule_test *t, const struct sf_arg_cond *c, bool is_64bit_abi)
{
	bool is_wide = is_64bit_abi && !c->is_int32;
	uint64_t w = is_wide ? UINT64_MAX : UINT32_MAX;
	uint64_t m = c->op == SF_COND_ANY || c->op == SF_COND_MASKED_EQ || c->op == SF_COND_MASKED_NE
		     ? c->mask & w : w;
	uint64_t v = c->value & w;
	bool is_eq = c->op == SF_COND_EQ || c->op == SF_COND_MASKED_EQ;
	unsigned start = t->n;

	if (c->arg >= SF_SYSCALL_ARGS_MAX)
		return;   /* no such argument: the tracer decides */
	switch (c->op) {
	case SF_COND_EQ:
	case SF_COND_NE:
	case SF_COND_MASKED_EQ:
	case SF_COND_MASKED_NE:
		if ((v & ~m) != 0 || m == 0) {
			/* Never equal, or always (0 == 0): the clause is constant. */
			bool holds = ((v & ~m) != 0) != is_eq;
			t->is_false |= !holds;
			return;
		}
		emit_masked_eq(t, c->arg, m, v, is_eq ? TO_PASS : TO_FAIL, is_eq ? TO_FAIL : TO_PASS);
		break;
	case SF_COND_ANY:
		if (m == 0) {
			t->is_false = true;
			return;
		}
		emit_any(t, c->arg, m);
		break;
	case SF_COND_GT:
	case SF_COND_LE:
		if (v == w) {   /* nothing is above the largest value */
			t->is_false |= c->op == SF_COND_GT;
			return;
		}
		emit_above(t, c->arg, v, is_wide, true, c->op == SF_COND_GT ? TO_PASS : TO_FAIL,
			   c->op == SF_COND_GT ? TO_FAIL : TO_PASS);
		break;
	case SF_COND_GE:
	case SF_COND_LT:
		if (v == 0) {   /* everything is at least 0 */
			t->is_false |= c->op == SF_COND_LT;
			return;
		}
		emit_above(t, c->arg, v, is_wide, false, c->op == SF_COND_GE ? TO_PASS : TO_FAIL,
			   c->op == SF_COND_GE ? TO_FAIL : TO_PASS);
		break;
	default:
		return;   /* an operator this file does not know: the tracer decides */
	}
	test_land(t, start, TO_PASS);
}

/*
 * Clause: strace's -P / --trace-fds, as sf_trace_select_matches reads it.
 * A traced path can only be told by the tracer (it reads the path, or
 * what an fd refers to), so with -P all the filter knows is that the call
 * needs a path argument, or an fd argument that is an fd at all.
 */
static void clause_select(struct rule_test *t, const struct sf_trace_select *s,
			  const struct sf_syscall_args *roles)
{
	if (s->npaths && sf_syscall_arg_find(roles, SF_ARG_PATH, 0) >= 0)
		return;
	if (s->npaths)
		clause_fds(t, roles, &any_fd, 1);
	else
		clause_fds(t, roles, s->fds.v, s->fds.n);
}

/*
 * The test of rule R on call (ABI, NR): every filter the kernel's data can
 * decide, as sf_rules_decide applies them (the run's -P / --trace-fds
 * first), ending in RET (where the call goes when it holds).  Empty
 * (T->n == 0) when nothing can be decided: the call must always go out.
 */
static void rule_test_build(struct rule_test *t, const struct sf_rules *rules,
			    const struct sf_rule *r, enum sf_abi abi, unsigned nr, uint32_t ret)
{
	const struct sf_syscall_args *roles = sf_syscall_args(abi, nr);
	const struct sf_filter *f = &r->filter;

	t->n = 0;
	t->is_false = t->is_too_big = false;
	if (sf_trace_select_is_set(&rules->select))
		clause_select(t, &rules->select, roles);
	if (r->is_filtered) {
		if (f->fd.n)
			clause_fds(t, roles, f->fd.v, f->fd.n);
		else if (f->fd_types || f->fd_path.n)
			clause_fds(t, roles, &any_fd, 1);   /* the tracer asks about an fd only if there is one */
		for (unsigned i = 0; i < f->nargs; i++)
			clause_cond(t, &f->args[i], abi != SF_ABI_I386);
	}
	if (t->n == 0 || t->is_false || t->is_too_big)
		return;
	test_emit(t, BPF_RET | BPF_K, ret, 0, 0);
	test_land(t, 0, TO_FAIL);
}

/* ---- What the filter does with each number ------------------------------- */

enum call_kind {
	CALL_ALLOWED,   /* no rule can match it: runs without a stop */
	CALL_ALWAYS,    /* always goes out (to ptrace, or to the listener) */
	CALL_TESTED,    /* goes out when its block says so */
};

/* One number's block at most: its calls stop unconditionally rather than crowd out the others' blocks. */
#define BLOCK_MAX 1024

struct call_plan {
	enum call_kind kind;
	uint32_t ret;                /* where it goes out: RET TRACE, or USER_NOTIF (route.h) */
	struct sock_filter *block;   /* CALL_TESTED: the rules' tests, then RET ALLOW; malloc'd */
	unsigned len;
};

/* What goes to the tracer: the rules' calls, and affinity calls when placement watches. */
struct selection {
	const struct sf_rules *rules;
	bool watch_affinity;
	const struct sf_point *point;   /* a point run's: only what reaching it needs */
	const struct sf_route *route;   /* the notify engine's; NULL: everything to ptrace */
	struct rule_test scratch;
};

/* Whether the LEN instructions at V already hold a test equal to T (tests are position independent). */
static bool has_test(const struct sock_filter *v, unsigned len, const struct rule_test *t)
{
	for (unsigned at = 0; at + t->n <= len;) {
		unsigned end = at;
		while (end < len && v[end].code != (BPF_RET | BPF_K))
			end++;
		if (end - at + 1 == t->n && memcmp(v + at, t->insn, t->n * sizeof(*v)) == 0)
			return true;
		at = end + 1;
	}
	return false;
}

/*
 * Decides what the filter does with (ABI, NR): a number no rule selects is
 * allowed, one that placement watches or that some rule selects with
 * nothing the filter can decide goes out every time, and the others get a
 * block: each rule's test in file order, then RET ALLOW.  Out means the
 * listener where the route says so, else a ptrace stop.
 */
static int plan_call(struct selection *s, enum sf_abi abi, unsigned nr, struct call_plan *p)
{
	const struct sf_rules *rules = s->rules;
	struct bpf_buf blk = { 0 };

	p->kind = CALL_ALLOWED;
	p->ret = sf_route_listens(s->route, abi, nr) ? SECCOMP_RET_USER_NOTIF : RET_SELECTED;
	if (s->watch_affinity && sf_placement_watches(abi, nr)) {
		p->kind = CALL_ALWAYS;
		p->ret = RET_SELECTED;   /* its result is rewritten at the exit */
		return 0;
	}
	if (!sf_rules_select(rules, abi, nr) || (s->point && !sf_point_needs_call(s->point, rules, abi, nr)))
		return 0;
	const struct sf_call_rules *list = &rules->calls[(unsigned)abi * SF_NR_LIMIT + nr];
	for (uint32_t j = 0; j < list->n; j++) {
		struct rule_test *t = &s->scratch;
		rule_test_build(t, rules, rules->v[list->rule[j]], abi, nr, p->ret);
		if (t->is_false)
			continue;
		if (t->n == 0 || t->is_too_big || blk.n + t->n + 1 > BLOCK_MAX) {
			free(blk.v);
			p->kind = CALL_ALWAYS;
			return 0;
		}
		if (!has_test(blk.v, blk.n, t))
			emit_all(&blk, t->insn, t->n);
	}
	if (blk.n == 0)
		return blk.err;   /* no rule's test can hold: allowed */
	emit(&blk, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
	if (blk.err) {
		free(blk.v);
		return blk.err;
	}
	p->kind = CALL_TESTED;
	p->block = blk.v;
	p->len = blk.n;
	return 0;
}

static void emit_tested(struct bpf_buf *b, unsigned nr, const struct call_plan *p)
{
	/* Conditional jumps reach 255 instructions; BPF_JA reaches any. */
	if (p->len <= 255) {
		emit(b, BPF_JMP | BPF_JEQ | BPF_K, nr, 0, (uint8_t)p->len);
	} else {
		emit(b, BPF_JMP | BPF_JEQ | BPF_K, nr, 1, 0);
		emit(b, BPF_JMP | BPF_JA, p->len, 0, 0);
	}
	emit_all(b, p->block, p->len);
}

/*
 * One block per run [lo, hi] of numbers that always go out the same way,
 * one per tested number, then ALLOW for every other number.  The
 * accumulator holds the number (x32 bit already removed); a tested block
 * ends in a RET, so loading arguments there leaves the comparisons after
 * it alone.
 */
static void emit_numbers(struct bpf_buf *b, const struct call_plan *plan)
{
	for (unsigned lo = 0; lo < SF_NR_LIMIT; lo++) {
		if (plan[lo].kind == CALL_TESTED)
			emit_tested(b, lo, &plan[lo]);
		if (plan[lo].kind != CALL_ALWAYS)
			continue;
		unsigned hi = lo;
		while (hi + 1 < SF_NR_LIMIT && plan[hi + 1].kind == CALL_ALWAYS && plan[hi + 1].ret == plan[lo].ret)
			hi++;
		if (lo == hi) {
			emit(b, BPF_JMP | BPF_JEQ | BPF_K, lo, 0, 1);
		} else {
			emit(b, BPF_JMP | BPF_JGE | BPF_K, lo, 0, 2);
			emit(b, BPF_JMP | BPF_JGT | BPF_K, hi, 1, 0);
		}
		emit(b, BPF_RET | BPF_K, plan[lo].ret, 0, 0);
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
	if (!b->err && !b->is_counting)
		b->v[at].k = b->n - at - 1;
}

/*
 * The notify engine's child makes this call once, after installing the
 * filter and before its exec, with the listener's fd as argument 0: a
 * ptrace stop where the tracer takes the fd (notify.c).  Until then no
 * one reads the listener, so the hand-over cannot be a notification.
 */
static void emit_handover(struct bpf_buf *b)
{
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, SF_SECCOMP_HANDOVER_NR, 0, 1);
	emit(b, BPF_RET | BPF_K, RET_TRACE(SF_SECCOMP_HANDOVER), 0, 0);
}

/* PLAN is [SF_ABI_COUNT][SF_NR_LIMIT]. */
static void emit_program(struct bpf_buf *b, const struct call_plan *plan, bool has_handover)
{
	emit(b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 1);
	unsigned to_i386 = b->n;
	emit(b, BPF_JMP | BPF_JA, 0, 0, 0);
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	emit(b, BPF_RET | BPF_K, RET_TRACE(SF_SECCOMP_BADARCH), 0, 0);
	/* x86_64 and x32 share AUDIT_ARCH_X86_64; x32 numbers carry a bit. */
	emit_load_nr(b);
	emit(b, BPF_JMP | BPF_JSET | BPF_K, SF_X32_SYSCALL_BIT, 0, 1);
	unsigned to_x32 = b->n;
	emit(b, BPF_JMP | BPF_JA, 0, 0, 0);
	if (has_handover)
		emit_handover(b);
	emit_numbers(b, plan + SF_ABI_X86_64 * SF_NR_LIMIT);
	land_here(b, to_x32);
	emit(b, BPF_ALU | BPF_AND | BPF_K, ~SF_X32_SYSCALL_BIT, 0, 0);
	emit_numbers(b, plan + SF_ABI_X32 * SF_NR_LIMIT);
	land_here(b, to_i386);
	emit_load_nr(b);
	emit_numbers(b, plan + SF_ABI_I386 * SF_NR_LIMIT);
}

static unsigned program_length(const struct call_plan *plan, bool has_handover)
{
	struct bpf_buf count = { .is_counting = true };

	emit_program(&count, plan, has_handover);
	return count.n;
}

/*
 * Until the program fits the kernel's limit, the number with the largest
 * block stops unconditionally instead (a run of such numbers costs 2 or 3
 * instructions, a block at least 5): the filter gets coarser, never wrong.
 * i386 and x32 blocks go first: most trees make x86_64 calls.
 */
static void fit(struct call_plan *plan, bool has_handover)
{
	while (program_length(plan, has_handover) > BPF_MAXINSNS) {
		struct call_plan *largest = NULL;
		bool is_largest_native = true;
		for (unsigned i = 0; i < SF_ABI_COUNT * SF_NR_LIMIT; i++) {
			bool is_native = i / SF_NR_LIMIT == SF_ABI_X86_64;
			if (plan[i].kind != CALL_TESTED)
				continue;
			if (!largest || (is_largest_native && !is_native) ||
			    (is_native == is_largest_native && plan[i].len > largest->len)) {
				largest = &plan[i];
				is_largest_native = is_native;
			}
		}
		if (!largest)
			return;
		free(largest->block);
		*largest = (struct call_plan){ .kind = CALL_ALWAYS, .ret = largest->ret };
	}
}

/* Whether the program returns USER_NOTIF anywhere: only then does it need a listener. */
static bool returns_to_listener(const struct sock_filter *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i].code == (BPF_RET | BPF_K) && v[i].k == SECCOMP_RET_USER_NOTIF)
			return true;
	return false;
}

int sf_seccomp_build(const struct sf_rules *rules, bool watch_affinity, const struct sf_point *point,
		     const struct sf_route *route, struct sf_seccomp_prog *prog)
{
	static const enum sf_abi abis[] = { SF_ABI_X86_64, SF_ABI_I386, SF_ABI_X32 };
	struct bpf_buf b = { 0 };
	struct selection *sel = malloc(sizeof(*sel));
	struct call_plan *plan = calloc(SF_ABI_COUNT * SF_NR_LIMIT, sizeof(*plan));
	int err = sel && plan ? 0 : -ENOMEM;

	memset(prog, 0, sizeof(*prog));
	if (sel) {
		sel->rules = rules;
		sel->watch_affinity = watch_affinity;
		sel->point = point;
		sel->route = route;
	}
	for (unsigned a = 0; !err && a < sizeof(abis) / sizeof(abis[0]); a++)
		for (unsigned nr = 0; !err && nr < SF_NR_LIMIT; nr++)
			err = plan_call(sel, abis[a], nr, &plan[abis[a] * SF_NR_LIMIT + nr]);
	if (!err) {
		fit(plan, route != NULL);
		emit_program(&b, plan, route != NULL);
		err = b.err;
	}
	if (!err && b.n > BPF_MAXINSNS)
		err = -E2BIG;
	for (unsigned i = 0; plan && i < SF_ABI_COUNT * SF_NR_LIMIT; i++)
		free(plan[i].block);
	free(plan);
	free(sel);
	if (err) {
		free(b.v);
		return err;
	}
	prog->insns = b.v;
	prog->len = (unsigned short)b.n;
	prog->has_listener = returns_to_listener(b.v, b.n);
	prog->has_handover = route != NULL;
	return 0;
}

int sf_seccomp_without_listener(const struct sf_seccomp_prog *prog, struct sf_seccomp_prog *out)
{
	memset(out, 0, sizeof(*out));
	out->insns = malloc((prog->len ? prog->len : 1) * sizeof(*out->insns));
	if (!out->insns)
		return -ENOMEM;
	memcpy(out->insns, prog->insns, prog->len * sizeof(*out->insns));
	for (unsigned i = 0; i < prog->len; i++)
		if (out->insns[i].code == (BPF_RET | BPF_K) && out->insns[i].k == SECCOMP_RET_USER_NOTIF)
			out->insns[i].k = RET_SELECTED;
	out->len = prog->len;
	out->has_handover = prog->has_handover;
	return 0;
}

void sf_seccomp_release(struct sf_seccomp_prog *prog)
{
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
	prog->has_listener = prog->has_handover = false;
}

/*
 * SPEC_ALLOW: a kernel booted with spec_store_bypass_disable=seccomp (the
 * default before Linux 5.16) otherwise turns the Speculative Store Bypass
 * mitigation on for every task under a filter, and the command would run
 * its own code slower than without sysfault; a filter that sandboxes
 * nothing has no reason to.  A kernel before 4.17 does not know the flag.
 */
static long set_filter(long flags, struct sock_fprog *fprog)
{
	long r = sf_raw3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags | SECCOMP_FILTER_FLAG_SPEC_ALLOW, fprog);

	return r == -EINVAL ? sf_raw3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, fprog) : r;
}

int sf_seccomp_install(const struct sf_seccomp_prog *prog)
{
	struct sock_fprog fprog = { prog->len, prog->insns };
	/*
	 * Once the listener has read a notification, only a fatal signal ends
	 * the wait (WAIT_KILLABLE_RECV, Linux 5.19): a signal cannot make the
	 * kernel drop an answer, nor restart a call sysfault has counted.
	 */
	long flags = prog->has_listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV : 0;
	long r = set_filter(flags, &fprog);

	/* Without CAP_SYS_ADMIN the kernel asks for NO_NEW_PRIVS (see README). */
	if (r != -EACCES)
		return (int)r;
	r = sf_raw6(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
	return (int)(r < 0 ? r : set_filter(flags, &fprog));
}

bool sf_seccomp_available(void)
{
	/* EFAULT: the kernel knows the operation and looked at the (NULL) program. */
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL) < 0 && errno == EFAULT;
}
