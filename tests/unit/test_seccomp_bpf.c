/*
 * Unit tests of the conditions the seccomp filter decides itself (fd
 * numbers, raw arguments, --trace-fds): the generated program runs here on
 * synthetic struct seccomp_data through a small classic-BPF interpreter
 * for the opcodes seccomp_filter.c emits.  The filter is a pre-filter: a
 * call it lets through may still match no rule, but a call it drops must
 * be one no rule could match (filter.c decides at the stop).  The notify
 * engine's program too: each number to the listener or to ptrace as the
 * route says, the child's hand-over call to ptrace, and the program the
 * kernel gets with a listener, answered from here.
 */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/route.h"
#include "engine/seccomp_filter.h"
#include "rules/rule.h"
#include "rules/spec.h"
#include "rules/syscall_args.h"

/* ---- A classic-BPF interpreter, for what seccomp_filter.c emits ------------ */

static int bad_programs;   /* programs that read out of seccomp_data, jumped out or used an unknown opcode */

static uint32_t run(const struct sf_seccomp_prog *p, const struct seccomp_data *d)
{
	uint32_t a = 0;

	for (unsigned pc = 0; pc < p->len;) {
		const struct sock_filter *f = &p->insns[pc++];
		uint32_t k = f->k;
		bool taken;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (k % 4 || k + 4 > sizeof(*d)) {
				bad_programs++;
				return 0;
			}
			memcpy(&a, (const char *)d + k, 4);
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= k;
			continue;
		case BPF_JMP | BPF_JA:
			pc += k;
			continue;
		case BPF_RET | BPF_K:
			return k;
		case BPF_JMP | BPF_JEQ | BPF_K: taken = a == k; break;
		case BPF_JMP | BPF_JGT | BPF_K: taken = a > k; break;
		case BPF_JMP | BPF_JGE | BPF_K: taken = a >= k; break;
		case BPF_JMP | BPF_JSET | BPF_K: taken = (a & k) != 0; break;
		default:
			bad_programs++;
			return 0;
		}
		pc += taken ? f->jt : f->jf;
	}
	bad_programs++;   /* ran off the end, or jumped past it */
	return 0;
}

/* ---- Building programs ------------------------------------------------------- */

struct fixture {
	struct sf_rules rules;
	struct sf_seccomp_prog prog;
	struct sf_route route;     /* build_routed: the notify engine's */
};

/* Rules from the -e SPECS (NULL-terminated), --trace-fds FDS and -P PATH when not NULL. */
static void build_with(struct fixture *fx, const char *const specs[], const char *fds,
		       const char *path, bool watch_affinity)
{
	char why[256];

	memset(&fx->route, 0, sizeof(fx->route));
	sf_rules_init(&fx->rules);
	for (unsigned i = 0; specs[i]; i++) {
		struct sf_rule *r = sf_spec_parse(specs[i], why, sizeof(why));
		if (!r)
			fprintf(stderr, "\n%s: %s\n", specs[i], why);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_EQUAL_FATAL(sf_rules_append(&fx->rules, r), 0);
	}
	if (fds)
		CU_ASSERT_EQUAL_FATAL(sf_trace_select_add_fds(&fx->rules.select, fds, why, sizeof(why)), 0);
	if (path)
		CU_ASSERT_EQUAL_FATAL(sf_trace_select_add_path(&fx->rules.select, path, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&fx->rules), 0);
	CU_ASSERT_EQUAL_FATAL(sf_seccomp_build(&fx->rules, watch_affinity, NULL, NULL, &fx->prog), 0);
	CU_ASSERT(fx->prog.len > 0 && fx->prog.len <= BPF_MAXINSNS);
}

static void build(struct fixture *fx, const char *spec)
{
	const char *const specs[] = { spec, NULL };
	build_with(fx, specs, NULL, NULL, false);
}

/* SPECS built as the notify engine builds them: each call to the listener or to ptrace (route.c). */
static void build_routed(struct fixture *fx, const char *const specs[])
{
	const struct sf_route_run run = { 0 };

	build_with(fx, specs, NULL, NULL, false);
	sf_seccomp_release(&fx->prog);
	CU_ASSERT_EQUAL_FATAL(sf_route_plan(&fx->route, &fx->rules, &run), 0);
	CU_ASSERT_EQUAL_FATAL(sf_seccomp_build(&fx->rules, false, NULL, &fx->route, &fx->prog), 0);
}

static void release(struct fixture *fx)
{
	sf_seccomp_release(&fx->prog);
	sf_route_release(&fx->route);
	sf_rules_release(&fx->rules);
}

static int nr_of(enum sf_abi abi, const char *name)
{
	int nr = sf_syscall_number(abi, name);
	CU_ASSERT_FATAL(nr >= 0);
	return nr;
}

static struct seccomp_data call_data(enum sf_abi abi, unsigned nr, const uint64_t args[6])
{
	struct seccomp_data d = { .nr = (int)nr };

	d.arch = abi == SF_ABI_I386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
	if (abi == SF_ABI_X32)
		d.nr = (int)(nr | SF_X32_SYSCALL_BIT);
	memcpy(d.args, args, sizeof(d.args));
	return d;
}

/* Whether the program stops the call NAME(ARGS) of ABI. */
static bool stops(const struct fixture *fx, enum sf_abi abi, const char *name,
		  uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	const uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };
	struct seccomp_data d = call_data(abi, (unsigned)nr_of(abi, name), args);
	uint32_t r = run(&fx->prog, &d);

	CU_ASSERT(r == SECCOMP_RET_ALLOW || r == (SECCOMP_RET_TRACE | SF_SECCOMP_SELECTED));
	return r == (SECCOMP_RET_TRACE | SF_SECCOMP_SELECTED);
}

/* What the tracer decides at the stop, for filters that need nothing from the tracee. */
static const char *no_path(void *ctx, unsigned i, bool resolved) { return NULL; }
static const char *no_fd_path(void *ctx, int fd) { return NULL; }
static int no_fd_type(void *ctx, int fd) { return -1; }
static const char *no_name(void *ctx) { return NULL; }
static const struct sf_call_view_ops no_ops = { no_path, no_fd_path, no_fd_type, no_name, no_name, NULL };

static bool some_rule_matches(const struct sf_rules *rules, enum sf_abi abi, unsigned nr,
			      const uint64_t args[6])
{
	const struct sf_call_view v = { abi, nr, args, &no_ops, NULL };

	if (sf_trace_select_is_set(&rules->select) && !sf_trace_select_matches(&rules->select, &v))
		return false;
	for (unsigned i = 0; i < rules->n; i++) {
		const struct sf_rule *r = rules->v[i];
		if (sf_sysset_has(&r->set, abi, nr) &&
		    (!r->is_filtered || sf_filter_matches(&r->filter, &v)))
			return true;
	}
	return false;
}

/* Values where 32- and 64-bit comparisons go wrong. */
static const uint64_t edges[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 0x40, 0x41, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	0xffffff9c, 0x100000000, 0x100000001, 0x100000005, 0x1ffffffff, 0xffffffff00000000,
	0xffffffff00000005, 0x8000000000000000, 0xffffffffffffff9c, UINT64_MAX - 1, UINT64_MAX,
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

/*
 * For every pair of edge values in arguments A and B of NAME on ABI: the
 * program stops the call exactly when a rule matches (IS_EXACT, every
 * filter decidable), or at least then.  Returns the calls that stopped.
 */
static unsigned check_against_rules(const struct fixture *fx, enum sf_abi abi, const char *name,
				    unsigned a, unsigned b, bool is_exact)
{
	unsigned nr = (unsigned)nr_of(abi, name), stopped = 0, wrong = 0;

	for (unsigned i = 0; i < NEDGES; i++) {
		for (unsigned j = 0; j < NEDGES; j++) {
			uint64_t args[6] = { 0 };
			args[a] = edges[i];
			args[b] = edges[j];
			struct seccomp_data d = call_data(abi, nr, args);
			bool is_stop = run(&fx->prog, &d) != SECCOMP_RET_ALLOW;
			bool must = some_rule_matches(&fx->rules, abi, nr, args);
			stopped += is_stop;
			if (must ? !is_stop : (is_exact && is_stop)) {
				if (wrong++ < 3)
					fprintf(stderr, "\n%s %s(arg%u=%#llx, arg%u=%#llx): filter %s, rules %s\n",
						sf_abi_name(abi), name, a + 1, (unsigned long long)edges[i],
						b + 1, (unsigned long long)edges[j],
						is_stop ? "stops" : "allows", must ? "match" : "do not");
			}
		}
	}
	CU_ASSERT_EQUAL(wrong, 0);
	return stopped;
}

/* ---- fd numbers -------------------------------------------------------------- */

static void test_seccomp_bpf__fd_equality_stops_only_that_fd(void)
{
	struct fixture fx;

	build(&fx, "write:error=EIO:fd=1");
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", 1, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "write", 3, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "write", 0, 1, 1, 1));
	/* An fd is an int: the kernel and the tracer read the low 32 bits only. */
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", 0xdead00000001, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "read", 1, 0, 0, 0));
	check_against_rules(&fx, SF_ABI_X86_64, "write", 0, 2, true);
	release(&fx);
}

static void test_seccomp_bpf__fd_ranges_include_both_ends(void)
{
	struct fixture fx;

	build(&fx, "read,write:error=EIO:fd=0,3..10,20");
	for (uint64_t fd = 0; fd < 30; fd++) {
		bool in = fd == 0 || (fd >= 3 && fd <= 10) || fd == 20;
		CU_ASSERT_EQUAL(stops(&fx, SF_ABI_X86_64, "read", fd, 0, 0, 0), in);
	}
	/* -1 and AT_FDCWD are no fds: above INT_MAX as unsigned, in no range. */
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "write", (uint64_t)-1, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "write", (uint32_t)AT_FDCWD, 0, 0, 0));
	check_against_rules(&fx, SF_ABI_X86_64, "read", 0, 1, true);
	release(&fx);
}

static void test_seccomp_bpf__a_call_with_several_fds_stops_if_any_matches(void)
{
	struct fixture fx;

	build(&fx, "dup2,sendfile,openat:error=EIO:fd=5");
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "dup2", 5, 9, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "dup2", 9, 5, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "dup2", 8, 9, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "sendfile", 1, 5, 0, 0));
	/* openat's fd is its dirfd. */
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "openat", 5, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "openat", (uint32_t)AT_FDCWD, 0, 0, 0));
	check_against_rules(&fx, SF_ABI_X86_64, "dup2", 0, 1, true);
	check_against_rules(&fx, SF_ABI_X86_64, "sendfile", 0, 1, true);
	release(&fx);
}

/* fd_type and fd_path are read from /proc at the stop; the filter knows only that an fd is needed. */
static void test_seccomp_bpf__fd_type_stops_only_calls_with_an_fd(void)
{
	struct fixture fx;

	build(&fx, "openat,write:error=EIO:fd_type=dir");
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "openat", (uint32_t)AT_FDCWD, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "openat", 7, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", 0, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "write", (uint64_t)-1, 0, 0, 0));
	release(&fx);
}

/* ---- Raw arguments ------------------------------------------------------------ */

static void test_seccomp_bpf__flag_masks_stop_only_calls_with_the_flags(void)
{
	struct fixture fx;

	build(&fx, "openat:error=EACCES:args=arg3 & O_CREAT");
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "openat", (uint32_t)AT_FDCWD, 0, O_WRONLY | O_CREAT, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "openat", (uint32_t)AT_FDCWD, 0, O_WRONLY | O_TRUNC, 0));
	release(&fx);
	build(&fx, "openat:error=EACCES:args=arg3 & O_ACCMODE == O_WRONLY");
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "openat", 3, 0, O_WRONLY | O_CREAT, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "openat", 3, 0, O_RDWR | O_CREAT, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "openat", 3, 0, O_RDONLY, 0));
	release(&fx);
}

/* Every operator, on 64-bit values whose halves disagree, against filter.c's own reading. */
static void test_seccomp_bpf__every_operator_agrees_with_the_rules(void)
{
	static const char *const conds[] = {
		"arg3 == 5", "arg3 != 5", "arg3 == 0x100000005", "arg3 != 0x100000005",
		"arg3 < 5", "arg3 <= 5", "arg3 > 5", "arg3 >= 5",
		"arg3 < 0x100000001", "arg3 <= 0x100000001", "arg3 > 0x100000001", "arg3 >= 0x100000001",
		"arg3 < 0", "arg3 >= 0", "arg3 > -1", "arg3 <= -1", "arg3 == -1", "arg3 != -1", "arg3 == -100", "arg3 == AT_FDCWD", "arg3 < 0xffffffff",
		"arg3 & 0x40", "arg3 & 0x100000000", "arg3 & 0", "arg3 & 3 == 1", "arg3 & 3 != 1",
		"arg3 & 0xff00000000 == 0x100000000", "arg3 & 0xff00000000 != 0x100000000",
		"arg3 & 1 == 2", "arg3 & 1 != 2", "arg3 & 0 == 0",
	};
	static const enum sf_abi abis[] = { SF_ABI_X86_64, SF_ABI_I386, SF_ABI_X32 };
	char spec[128];

	for (unsigned i = 0; i < sizeof(conds) / sizeof(conds[0]); i++) {
		struct fixture fx;
		/* Alone, and with fd=4 on arg1: two clauses, both must hold. */
		for (int with_fd = 0; with_fd < 2; with_fd++) {
			unsigned failures = CU_get_number_of_failures();
			snprintf(spec, sizeof(spec), "read:error=EIO%s:args=%s", with_fd ? ":fd=4" : "", conds[i]);
			build(&fx, spec);
			for (unsigned a = 0; a < 3; a++)
				check_against_rules(&fx, abis[a], "read", 2, 0, true);
			release(&fx);
			if (CU_get_number_of_failures() != failures)
				fprintf(stderr, "(in -e '%s')\n", spec);
		}
	}
	CU_ASSERT_EQUAL(bad_programs, 0);
}

static void test_seccomp_bpf__several_rules_stop_when_any_may_match(void)
{
	const char *const specs[] = {
		"read:error=EIO:fd=3:args=arg3 > 100", "read:error=EINTR:fd=4",
		"read:error=EAGAIN:args=arg3 == 7", "read:error=EIO:fd=3:args=arg3 > 100:when=2", NULL,
	};
	struct fixture fx;

	build_with(&fx, specs, NULL, NULL, false);
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "read", 3, 0, 101, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "read", 3, 0, 100, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "read", 4, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "read", 9, 0, 7, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "read", 9, 0, 8, 0));
	check_against_rules(&fx, SF_ABI_X86_64, "read", 0, 2, true);
	check_against_rules(&fx, SF_ABI_I386, "read", 0, 2, true);
	release(&fx);
}

/* ---- ABIs ------------------------------------------------------------------------ */

/* The kernel reads an i386 call's low words; after int 0x80 from 64-bit code the high ones are anything. */
static void test_seccomp_bpf__i386_ignores_the_high_words(void)
{
	const char *const specs[] = { "write:error=EIO:fd=1", "read:error=EIO:args=arg3 == 8", NULL };
	struct fixture fx;

	build_with(&fx, specs, NULL, NULL, false);
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_I386, "write", 0xffffffff00000001, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_I386, "write", 2, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_I386, "read", 0, 0, 0x500000008, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "read", 0, 0, 0x500000008, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "read", 0, 0, 8, 0));
	release(&fx);
}

static void test_seccomp_bpf__x32_numbers_get_their_own_blocks(void)
{
	struct fixture fx;

	build(&fx, "write@x32:error=EIO:fd=2");
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X32, "write", 2, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X32, "write", 1, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "write", 2, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_I386, "write", 2, 0, 0, 0));
	check_against_rules(&fx, SF_ABI_X32, "write", 0, 1, true);
	release(&fx);
}

static void test_seccomp_bpf__unknown_abi_still_goes_to_the_tracer(void)
{
	struct fixture fx;
	const uint64_t args[6] = { 3 };
	struct seccomp_data d = call_data(SF_ABI_X86_64, 1, args);

	build(&fx, "write:error=EIO:fd=1");
	d.arch = AUDIT_ARCH_AARCH64;
	CU_ASSERT_EQUAL(run(&fx.prog, &d), SECCOMP_RET_TRACE | SF_SECCOMP_BADARCH);
	release(&fx);
}

/* ---- What stays unconditional ------------------------------------------------------ */

static void test_seccomp_bpf__a_rule_without_filter_makes_its_calls_unconditional(void)
{
	const char *const specs[] = { "write:error=EIO:fd=1", "write:error=ENOSPC:when=5", NULL };
	struct fixture fx;

	build_with(&fx, specs, NULL, NULL, false);
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", 3, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", (uint64_t)-1, 0, 0, 0));
	release(&fx);
}

static void test_seccomp_bpf__path_and_process_filters_stay_unconditional(void)
{
	struct fixture fx;

	build(&fx, "openat:error=ENOENT:path=/etc/hostname");
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "openat", (uint32_t)AT_FDCWD, 0, 0, 0));
	release(&fx);
	build(&fx, "write:error=EIO:process=cat");
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", 7, 0, 0, 0));
	release(&fx);
	/* Only the part the filter can decide narrows: the path is the tracer's. */
	build(&fx, "openat:error=ENOENT:path=/tmp/*:args=arg3 & O_CREAT");
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "openat", (uint32_t)AT_FDCWD, 0, O_CREAT, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "openat", (uint32_t)AT_FDCWD, 0, O_RDONLY, 0));
	release(&fx);
}

/* While sysfault pins the tree, affinity calls must reach it whatever the rules say. */
static void test_seccomp_bpf__placement_calls_stay_unconditional(void)
{
	const char *const specs[] = { "sched_getaffinity:error=EINVAL:args=arg1 == 5", NULL };
	struct fixture fx;

	build_with(&fx, specs, NULL, NULL, true);
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "sched_getaffinity", 7, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "sched_setaffinity", 7, 0, 0, 0));
	release(&fx);
	build_with(&fx, specs, NULL, NULL, false);
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "sched_getaffinity", 7, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "sched_getaffinity", 5, 0, 0, 0));
	release(&fx);
}

/* A call a rule names but whose filter it can never pass (getpid has no fd) needs no stop. */
static void test_seccomp_bpf__calls_no_rule_can_match_run_free(void)
{
	struct fixture fx;

	build(&fx, "write,getpid:error=EIO:fd=1");
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "getpid", 1, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", 1, 0, 0, 0));
	release(&fx);
	build(&fx, "read:error=EIO:args=arg3 & 0");
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "read", 0, 0, UINT64_MAX, 0));
	release(&fx);
}

/* ---- strace's --trace-fds and -P ----------------------------------------------------- */

static void test_seccomp_bpf__trace_fds_narrow_every_rule(void)
{
	const char *const specs[] = { "write,read,getpid:error=EIO", NULL };
	struct fixture fx;

	build_with(&fx, specs, "1,4", NULL, false);
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", 1, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "read", 4, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "write", 3, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "getpid", 1, 0, 0, 0));
	check_against_rules(&fx, SF_ABI_X86_64, "write", 0, 1, true);
	release(&fx);
}

/* A traced path is read at the stop: calls that take a path or an fd must stop. */
static void test_seccomp_bpf__trace_path_leaves_path_and_fd_calls_to_the_tracer(void)
{
	const char *const specs[] = { "openat,write,getpid:error=EIO", NULL };
	struct fixture fx;

	build_with(&fx, specs, NULL, "/etc/hostname", false);
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "openat", (uint32_t)AT_FDCWD, 0, 0, 0));
	CU_ASSERT_TRUE(stops(&fx, SF_ABI_X86_64, "write", 3, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "write", (uint64_t)-1, 0, 0, 0));
	CU_ASSERT_FALSE(stops(&fx, SF_ABI_X86_64, "getpid", 0, 0, 0, 0));
	release(&fx);
}

/* ---- Size ------------------------------------------------------------------------------- */

static void test_seccomp_bpf__a_condition_costs_a_few_instructions(void)
{
	struct fixture plain, fd, args;

	build(&plain, "write:error=EIO");
	build(&fd, "write:error=EIO:fd=1");
	build(&args, "openat:error=EIO:args=arg3 & O_CREAT");
	/* Per ABI: the number's test, one load, one compare, RET TRACE, RET ALLOW. */
	CU_ASSERT(fd.prog.len <= plain.prog.len + 3 * 4);
	CU_ASSERT(args.prog.len <= plain.prog.len + 3 * 4);
	release(&plain);
	release(&fd);
	release(&args);
}

/*
 * Too many conditions for one program: numbers fall back to stopping
 * unconditionally, the largest blocks first, and the program still fits
 * and still stops every call a rule could match.
 */
static void test_seccomp_bpf__too_big_a_program_falls_back_to_unconditional(void)
{
	static char spec[4096];
	size_t n = (size_t)snprintf(spec, sizeof(spec), "all:error=EIO:fd=");
	struct fixture fx;

	for (int fd = 0; fd < 400; fd += 4)
		n += (size_t)snprintf(spec + n, sizeof(spec) - n, "%s%d", fd ? "," : "", fd);
	build(&fx, spec);
	CU_ASSERT(fx.prog.len <= BPF_MAXINSNS);
	unsigned unconditional = 0, tested = 0;
	for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
		const struct sf_syscall_args *roles = sf_syscall_args(SF_ABI_X86_64, nr);
		if (!sf_syscall_name(SF_ABI_X86_64, nr) || sf_syscall_arg_find(roles, SF_ARG_FD, 0) < 0)
			continue;
		uint64_t args[6] = { 0 };
		for (unsigned i = 0; i < 6; i++)
			args[i] = 1;   /* in no range */
		struct seccomp_data d = call_data(SF_ABI_X86_64, nr, args);
		if (run(&fx.prog, &d) == SECCOMP_RET_ALLOW)
			tested++;
		else
			unconditional++;
		for (unsigned i = 0; i < 6; i++)
			args[i] = 396;
		d = call_data(SF_ABI_X86_64, nr, args);
		CU_ASSERT_NOT_EQUAL(run(&fx.prog, &d), SECCOMP_RET_ALLOW);
	}
	CU_ASSERT(unconditional > 0);
	CU_ASSERT(tested > 0);
	CU_ASSERT_EQUAL(bad_programs, 0);
	release(&fx);
}

/* ---- The notify engine's filter ------------------------------------------------------------ */

/* What the program returns for NAME(A0, ...) of ABI. */
static uint32_t verdict(const struct fixture *fx, enum sf_abi abi, const char *name, uint64_t a0)
{
	const uint64_t args[6] = { a0, 0, 0, 0, 0, 0 };
	struct seccomp_data d = call_data(abi, (unsigned)nr_of(abi, name), args);

	return run(&fx->prog, &d);
}

static uint32_t handover_verdict(const struct fixture *fx)
{
	const uint64_t args[6] = { 4, 0, 0, 0, 0, 0 };
	struct seccomp_data d = call_data(SF_ABI_X86_64, SF_SECCOMP_HANDOVER_NR, args);

	return run(&fx->prog, &d);
}

#define TRACED (SECCOMP_RET_TRACE | SF_SECCOMP_SELECTED)

static void test_seccomp_bpf__routed_calls_go_to_the_listener_or_to_ptrace(void)
{
	const char *const specs[] = { "getppid,read:error=EIO", "read:delay_exit=1ms", NULL };
	struct fixture fx;

	build_routed(&fx, specs);
	CU_ASSERT(fx.prog.has_listener && fx.prog.has_handover);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "getppid", 0), SECCOMP_RET_USER_NOTIF);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_I386, "getppid", 0), SECCOMP_RET_USER_NOTIF);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X32, "getppid", 0), SECCOMP_RET_USER_NOTIF);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "read", 0), TRACED);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "write", 0), SECCOMP_RET_ALLOW);
	CU_ASSERT_EQUAL(handover_verdict(&fx), SECCOMP_RET_TRACE | SF_SECCOMP_HANDOVER);
	CU_ASSERT_EQUAL(bad_programs, 0);
	release(&fx);
	/* The seccomp engine's program has no hand-over: the number is no syscall and runs free. */
	build(&fx, "getppid:error=EIO");
	CU_ASSERT(!fx.prog.has_listener && !fx.prog.has_handover);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "getppid", 0), TRACED);
	CU_ASSERT_EQUAL(handover_verdict(&fx), SECCOMP_RET_ALLOW);
	release(&fx);
}

/* A number tested on its arguments sends what holds to the listener, the rest runs free. */
static void test_seccomp_bpf__a_tested_number_goes_to_the_listener_when_it_holds(void)
{
	const char *const specs[] = { "write:error=EIO:fd=1", NULL };
	struct fixture fx;

	build_routed(&fx, specs);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "write", 1), SECCOMP_RET_USER_NOTIF);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "write", 3), SECCOMP_RET_ALLOW);
	CU_ASSERT_EQUAL(bad_programs, 0);
	release(&fx);
}

/* Adjacent numbers going out different ways are never merged into one range. */
static void test_seccomp_bpf__adjacent_numbers_keep_their_own_way_out(void)
{
	const char *const specs[] = { "read,close:error=EIO:call=skip", "write:delay_exit=1ms", NULL };
	struct fixture fx;

	build_routed(&fx, specs);   /* read 0 and close 3 listen, write 1 stops */
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "read", 0), SECCOMP_RET_USER_NOTIF);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "write", 0), TRACED);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "open", 0), SECCOMP_RET_ALLOW);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "close", 0), SECCOMP_RET_USER_NOTIF);
	release(&fx);
}

/* Under another supervisor's listener the child installs this: every answer becomes a stop. */
static void test_seccomp_bpf__without_the_listener_every_call_stops(void)
{
	const char *const specs[] = { "getppid:error=EIO", "write:error=EIO:fd=1", NULL };
	struct fixture fx;
	struct sf_seccomp_prog plain;

	build_routed(&fx, specs);
	CU_ASSERT_EQUAL_FATAL(sf_seccomp_without_listener(&fx.prog, &plain), 0);
	CU_ASSERT(!plain.has_listener && plain.has_handover);
	sf_seccomp_release(&fx.prog);
	fx.prog = plain;
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "getppid", 0), TRACED);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "write", 1), TRACED);
	CU_ASSERT_EQUAL(verdict(&fx, SF_ABI_X86_64, "write", 3), SECCOMP_RET_ALLOW);
	CU_ASSERT_EQUAL(handover_verdict(&fx), SECCOMP_RET_TRACE | SF_SECCOMP_HANDOVER);
	release(&fx);
}

/* ---- In the kernel ------------------------------------------------------------------------ */

/*
 * The kernel takes the program and runs it as the interpreter does: with
 * no tracer attached, a SECCOMP_RET_TRACE call fails with ENOSYS, an
 * allowed write to a closed fd with EBADF.  Bit i: fd FDS[i] was stopped.
 */
static int stopped_writes(const struct sf_seccomp_prog *prog, const int *fds, int n)
{
	pid_t pid = fork();

	if (pid == 0) {
		int mask = 0;
		if (sf_seccomp_install(prog) != 0)
			_exit(255);
		for (int i = 0; i < n; i++)
			if (syscall(SYS_write, fds[i], NULL, 0) == -1 && errno == ENOSYS)
				mask |= 1 << i;
		_exit(mask);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * The kernel takes the routed program with a listener: the child's getppid
 * waits for this process's answer (EPERM), its write(1) with no tracer
 * stopping it fails with ENOSYS, and a call no rule selects runs.
 */
static void test_seccomp_bpf__kernel_sends_routed_calls_to_the_listener(void)
{
	const char *const specs[] = { "getppid:error=EIO", "getuid:delay_exit=1ms", NULL };
	struct fixture fx;
	int fds[2];

	build_routed(&fx, specs);
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = sf_seccomp_install(&fx.prog);
		if (fd < 0 || write(fds[1], &fd, sizeof(fd)) != sizeof(fd))
			_exit(255);
		bool ok = syscall(SYS_getppid) == -1 && errno == EPERM;
		ok = ok && syscall(SYS_getuid) == -1 && errno == ENOSYS;   /* TRACE, no tracer */
		ok = ok && syscall(SYS_getpid) == getpid();
		_exit(ok ? 0 : 1);
	}
	int child_fd = -1;
	CU_ASSERT_EQUAL_FATAL(read(fds[0], &child_fd, sizeof(child_fd)), sizeof(child_fd));
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
	CU_ASSERT_FATAL(fd >= 0);
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	memset(&req, 0, sizeof(req));
	CU_ASSERT_EQUAL(ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req), 0);
	CU_ASSERT_EQUAL(req.pid, (uint32_t)pid);
	CU_ASSERT_EQUAL(req.data.nr, SYS_getppid);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.error = -EPERM;
	CU_ASSERT_EQUAL(ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
	int status = -1;
	waitpid(pid, &status, 0);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
	close(pidfd);
	close(fds[0]);
	close(fds[1]);
	release(&fx);
}

static void test_seccomp_bpf__kernel_runs_the_conditions_as_written(void)
{
	static char spec[4096];
	const int fds[] = { 100, 101, 102, 110, 200 };
	struct fixture fx;

	build(&fx, "write:error=EIO:fd=101..102,200");
	CU_ASSERT_EQUAL(stopped_writes(&fx.prog, fds, 5), 0x2 | 0x4 | 0x10);
	release(&fx);
	/* The fallback program is one the kernel accepts too. */
	size_t n = (size_t)snprintf(spec, sizeof(spec), "all:error=EIO:fd=");
	for (int fd = 0; fd < 400; fd += 2)
		n += (size_t)snprintf(spec + n, sizeof(spec) - n, "%s%d", fd ? "," : "", fd);
	build(&fx, spec);
	int mask = stopped_writes(&fx.prog, fds, 5);
	CU_ASSERT(mask >= 0 && mask != 255 && (mask & (0x1 | 0x4 | 0x8 | 0x10)) == (0x1 | 0x4 | 0x8 | 0x10));
	release(&fx);
}

void sf_test_register_seccomp_bpf(void)
{
	CU_pSuite s = CU_add_suite("unit_seccomp_bpf", NULL, NULL);

	CU_add_test(s, "fd equality stops only that fd", test_seccomp_bpf__fd_equality_stops_only_that_fd);
	CU_add_test(s, "routed calls go to the listener or to ptrace",
		    test_seccomp_bpf__routed_calls_go_to_the_listener_or_to_ptrace);
	CU_add_test(s, "a tested number goes to the listener when it holds",
		    test_seccomp_bpf__a_tested_number_goes_to_the_listener_when_it_holds);
	CU_add_test(s, "adjacent numbers keep their own way out",
		    test_seccomp_bpf__adjacent_numbers_keep_their_own_way_out);
	CU_add_test(s, "without the listener every call stops",
		    test_seccomp_bpf__without_the_listener_every_call_stops);
	CU_add_test(s, "fd ranges include both ends", test_seccomp_bpf__fd_ranges_include_both_ends);
	CU_add_test(s, "a call with several fds stops if any matches",
		    test_seccomp_bpf__a_call_with_several_fds_stops_if_any_matches);
	CU_add_test(s, "fd_type stops only calls with an fd", test_seccomp_bpf__fd_type_stops_only_calls_with_an_fd);
	CU_add_test(s, "flag masks stop only calls with the flags",
		    test_seccomp_bpf__flag_masks_stop_only_calls_with_the_flags);
	CU_add_test(s, "every operator agrees with the rules",
		    test_seccomp_bpf__every_operator_agrees_with_the_rules);
	CU_add_test(s, "several rules stop when any may match",
		    test_seccomp_bpf__several_rules_stop_when_any_may_match);
	CU_add_test(s, "i386 ignores the high words", test_seccomp_bpf__i386_ignores_the_high_words);
	CU_add_test(s, "x32 numbers get their own blocks", test_seccomp_bpf__x32_numbers_get_their_own_blocks);
	CU_add_test(s, "unknown abi still goes to the tracer",
		    test_seccomp_bpf__unknown_abi_still_goes_to_the_tracer);
	CU_add_test(s, "a rule without filter makes its calls unconditional",
		    test_seccomp_bpf__a_rule_without_filter_makes_its_calls_unconditional);
	CU_add_test(s, "path and process filters stay unconditional",
		    test_seccomp_bpf__path_and_process_filters_stay_unconditional);
	CU_add_test(s, "placement calls stay unconditional", test_seccomp_bpf__placement_calls_stay_unconditional);
	CU_add_test(s, "calls no rule can match run free", test_seccomp_bpf__calls_no_rule_can_match_run_free);
	CU_add_test(s, "trace fds narrow every rule", test_seccomp_bpf__trace_fds_narrow_every_rule);
	CU_add_test(s, "trace path leaves path and fd calls to the tracer",
		    test_seccomp_bpf__trace_path_leaves_path_and_fd_calls_to_the_tracer);
	CU_add_test(s, "a condition costs a few instructions",
		    test_seccomp_bpf__a_condition_costs_a_few_instructions);
	CU_add_test(s, "too big a program falls back to unconditional",
		    test_seccomp_bpf__too_big_a_program_falls_back_to_unconditional);
	CU_add_test(s, "kernel runs the conditions as written",
		    test_seccomp_bpf__kernel_runs_the_conditions_as_written);
	CU_add_test(s, "kernel sends routed calls to the listener",
		    test_seccomp_bpf__kernel_sends_routed_calls_to_the_listener);
}
