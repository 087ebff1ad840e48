/*
 * unit_filter: rule filters (filter.h) on calls described by a fake view,
 * the argument roles they rely on (syscall_args.h), the lexical path
 * resolution of the engine's view (call_view.h), and how `when` counts
 * only what the filters let through.
 */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "engine/call_view.h"
#include "rules/filter.h"
#include "rules/rule.h"
#include "rules/spec.h"
#include "rules/syscall_args.h"

/* What the fake tracee answers: a path per argument, a link and type per fd. */
struct fake {
	const char *raw[6], *resolved[6];
	const char *link[16];
	int type[16];
	const char *comm, *exe;
	unsigned asked;          /* answers fetched: the filters ask only what they need */
	unsigned comm_asked;     /* comm is read anew at every call, the exe kept (call_view.c) */
};

static const char *fake_path(void *ctx, unsigned i, bool resolved)
{
	struct fake *f = ctx;
	f->asked++;
	return resolved ? f->resolved[i] : f->raw[i];
}

static const char *fake_fd_path(void *ctx, int fd)
{
	struct fake *f = ctx;
	f->asked++;
	return fd >= 0 && fd < 16 ? f->link[fd] : NULL;
}

static int fake_fd_type(void *ctx, int fd)
{
	struct fake *f = ctx;
	f->asked++;
	return fd >= 0 && fd < 16 && f->link[fd] ? f->type[fd] : -1;
}

static const char *fake_comm(void *ctx)
{
	struct fake *f = ctx;
	f->comm_asked++;
	return f->comm;
}

static const char *fake_exe(void *ctx)
{
	return ((struct fake *)ctx)->exe;
}

static const struct sf_call_view_ops fake_ops = {
	fake_path, fake_fd_path, fake_fd_type, fake_comm, fake_exe, NULL,   /* no stack: no caller rule here */
};

static struct sf_call_view view_of(const char *name, const uint64_t args[6], struct fake *f,
				   enum sf_abi abi)
{
	int nr = sf_syscall_number(abi, name);

	CU_ASSERT_FATAL(nr >= 0);
	return (struct sf_call_view){ abi, (unsigned)nr, args, &fake_ops, f };
}

static struct sf_rule *rule_of(const char *spec)
{
	char why[512] = "";
	struct sf_rule *r = sf_spec_parse(spec, why, sizeof(why));

	if (!r)
		fprintf(stderr, "\n'%s': %s\n", spec, why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r;
}

static bool matches(const char *spec, const char *call, const uint64_t args[6], struct fake *f)
{
	struct sf_rule *r = rule_of(spec);
	struct sf_call_view v = view_of(call, args, f, SF_ABI_X86_64);
	bool m = sf_filter_matches(&r->filter, &v);

	sf_rule_free(r);
	return m;
}

static void test_filter__roles_come_from_the_kernel_signatures(void)
{
	const struct sf_syscall_args *a = sf_syscall_args(SF_ABI_X86_64, (unsigned)sf_syscall_number(SF_ABI_X86_64, "openat"));
	CU_ASSERT_EQUAL(a->role[0], SF_ARG_DIRFD);
	CU_ASSERT_EQUAL(a->role[1], SF_ARG_PATH);
	a = sf_syscall_args(SF_ABI_X86_64, (unsigned)sf_syscall_number(SF_ABI_X86_64, "write"));
	CU_ASSERT_EQUAL(a->role[0], SF_ARG_FD);
	CU_ASSERT_EQUAL(a->role[1], SF_ARG_BUF);
	CU_ASSERT_EQUAL(a->role[2], SF_ARG_COUNT);
	a = sf_syscall_args(SF_ABI_X86_64, (unsigned)sf_syscall_number(SF_ABI_X86_64, "renameat2"));
	CU_ASSERT(a->role[0] == SF_ARG_DIRFD && a->role[1] == SF_ARG_PATH &&
		  a->role[2] == SF_ARG_DIRFD && a->role[3] == SF_ARG_PATH);
	/* i386-only calls take the roles of their x86_64 form. */
	a = sf_syscall_args(SF_ABI_I386, (unsigned)sf_syscall_number(SF_ABI_I386, "stat64"));
	CU_ASSERT_EQUAL(a->role[0], SF_ARG_PATH);
	a = sf_syscall_args(SF_ABI_I386, (unsigned)sf_syscall_number(SF_ABI_I386, "_llseek"));
	CU_ASSERT_EQUAL(a->role[0], SF_ARG_FD);
	CU_ASSERT(sf_short_applies(SF_ABI_X86_64, (unsigned)sf_syscall_number(SF_ABI_X86_64, "writev")));
	CU_ASSERT(!sf_short_applies(SF_ABI_X86_64, (unsigned)sf_syscall_number(SF_ABI_X86_64, "getcwd")));
}

/* The table misses no call of strace's %file class: each takes a path or a dirfd. */
static void test_filter__every_file_call_has_a_path_or_an_fd(void)
{
	unsigned file;
	unsigned missing = 0, n = 0;

	CU_ASSERT_FATAL(sf_class_lookup("%file", &file));
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
			const char *name = sf_syscall_name((enum sf_abi)abi, nr);
			if (!name || !sf_syscall_has_class((enum sf_abi)abi, nr, file))
				continue;
			const struct sf_syscall_args *a = sf_syscall_args((enum sf_abi)abi, nr);
			n++;
			/* getcwd writes a path, uselib is gone from x86_64 kernels' tables */
			if (sf_syscall_arg_find(a, SF_ARG_PATH, 0) < 0 &&
			    sf_syscall_arg_find(a, SF_ARG_FD, 0) < 0 &&
			    strcmp(name, "getcwd") != 0 && strcmp(name, "uselib") != 0) {
				fprintf(stderr, "\n%s@%s: no path or fd argument\n", name,
					sf_abi_name((enum sf_abi)abi));
				missing++;
			}
		}
	}
	CU_ASSERT(n > 150);
	CU_ASSERT_EQUAL(missing, 0);
}

static void test_filter__path_globs(void)
{
	uint64_t args[6] = { (uint64_t)AT_FDCWD, 0x1000, O_RDONLY };
	struct fake f = { .raw = { NULL, "data/app.db" }, .resolved = { NULL, "/srv/data/app.db" } };

	CU_ASSERT(matches("openat:error=EIO:path=/srv/*", "openat", args, &f));
	CU_ASSERT(!matches("openat:error=EIO:path=/data/*", "openat", args, &f));
	/* a relative pattern matches at any depth; '*' crosses '/' */
	CU_ASSERT(matches("openat:error=EIO:path=*.db", "openat", args, &f));
	CU_ASSERT(matches("openat:error=EIO:path=data/app.db", "openat", args, &f));
	CU_ASSERT(!matches("openat:error=EIO:path=ata/app.db", "openat", args, &f));
	CU_ASSERT(matches("openat:error=EIO:path=/s*db", "openat", args, &f));
	/* exclusions */
	CU_ASSERT(!matches("openat:error=EIO:path=/srv/*:path=!*.db", "openat", args, &f));
	CU_ASSERT(matches("openat:error=EIO:path=!*.so", "openat", args, &f));
	CU_ASSERT(!matches("openat:error=EIO:path=!/srv/*", "openat", args, &f));
	/* an unreadable path (a bad pointer) matches nothing, not even an exclusion */
	struct fake bad = { 0 };
	CU_ASSERT(!matches("openat:error=EIO:path=*", "openat", args, &bad));
	CU_ASSERT(!matches("openat:error=EIO:path=!/x", "openat", args, &bad));
}

static void test_filter__rename_matches_either_path(void)
{
	uint64_t args[6] = { (uint64_t)AT_FDCWD, 1, (uint64_t)AT_FDCWD, 2 };
	struct fake f = { .resolved = { NULL, "/a/old", NULL, "/b/new" } };

	CU_ASSERT(matches("renameat:error=EIO:path=/b/*", "renameat", args, &f));
	CU_ASSERT(matches("renameat:error=EIO:path=/a/*", "renameat", args, &f));
	CU_ASSERT(!matches("renameat:error=EIO:path=/c/*", "renameat", args, &f));
}

static void test_filter__fds_and_their_types(void)
{
	uint64_t w1[6] = { 1, 0x1000, 10 }, w7[6] = { 7, 0x1000, 10 };
	struct fake f = { .link = { [1] = "pipe:[77]", [7] = "/tmp/out.log" },
			  .type = { [1] = SF_FD_PIPE, [7] = SF_FD_FILE } };

	CU_ASSERT(matches("write:error=EIO:fd=1", "write", w1, &f));
	CU_ASSERT(!matches("write:error=EIO:fd=1", "write", w7, &f));
	CU_ASSERT(matches("write:error=EIO:fd=0,5..9", "write", w7, &f));
	CU_ASSERT(matches("write:error=EIO:fd_type=pipe,socket", "write", w1, &f));
	CU_ASSERT(!matches("write:error=EIO:fd_type=pipe,socket", "write", w7, &f));
	CU_ASSERT(matches("write:error=EIO:fd_path=pipe?*", "write", w1, &f));
	CU_ASSERT(matches("write:error=EIO:fd_path=*.log", "write", w7, &f));
	/* all fd filters on one fd: fd 7 is a file, not a pipe */
	CU_ASSERT(!matches("write:error=EIO:fd=7:fd_type=pipe", "write", w7, &f));
	/* dup2: either fd argument will do */
	uint64_t d[6] = { 7, 1 };
	CU_ASSERT(matches("dup2:error=EIO:fd=1", "dup2", d, &f));
	/* the upper half of an int argument is not the fd */
	uint64_t hi[6] = { UINT64_C(0xdead000000000001) };
	CU_ASSERT(matches("write:error=EIO:fd=1", "write", hi, &f));
	/* AT_FDCWD is no fd */
	uint64_t at[6] = { (uint64_t)AT_FDCWD, 1 };
	struct fake none = { .resolved = { NULL, "/x" } };
	CU_ASSERT(!matches("openat:error=EIO:fd=0..2147483647", "openat", at, &none));
	/* the fd filters ask nothing when the number already rules the call out */
	f.asked = 0;
	CU_ASSERT(!matches("write:error=EIO:fd=3:fd_type=pipe", "write", w1, &f));
	CU_ASSERT_EQUAL(f.asked, 0);
}

static void test_filter__process_by_comm_or_exe(void)
{
	uint64_t args[6] = { 1 };
	struct fake f = { .comm = "worker-3", .exe = "/usr/bin/python3.11" };

	CU_ASSERT(matches("write:error=EIO:process=worker-*", "write", args, &f));
	CU_ASSERT(matches("write:error=EIO:process=python3*", "write", args, &f));
	CU_ASSERT(matches("write:error=EIO:process=/usr/bin/*", "write", args, &f));
	CU_ASSERT(!matches("write:error=EIO:process=gzip", "write", args, &f));
}

/* The executable (kept by the engine) is asked first; the comm only when it can change the answer. */
static void test_filter__process_asks_the_comm_only_when_the_exe_does_not_decide(void)
{
	uint64_t args[6] = { 1 };
	struct fake f = { .comm = "worker-3", .exe = "/usr/bin/python3.11" };

	CU_ASSERT(matches("write:error=EIO:process=python3*", "write", args, &f));
	CU_ASSERT_EQUAL(f.comm_asked, 0);
	/* an exclusion may name the comm: it is read although the exe is included */
	CU_ASSERT(!matches("write:error=EIO:process=python3*:process=!worker-*", "write", args, &f));
	CU_ASSERT_EQUAL(f.comm_asked, 1);
	/* the exe does not match: the comm may */
	CU_ASSERT(matches("write:error=EIO:process=worker-*", "write", args, &f));
	CU_ASSERT_EQUAL(f.comm_asked, 2);
	struct fake no_exe = { .comm = "worker-3" };
	CU_ASSERT(matches("write:error=EIO:process=worker-*", "write", args, &no_exe));
}

static void test_filter__argument_conditions(void)
{
	uint64_t creat[6] = { (uint64_t)AT_FDCWD, 0x1000, O_WRONLY | O_CREAT | O_TRUNC, 0644 };
	uint64_t rd[6] = { (uint64_t)AT_FDCWD, 0x1000, O_RDONLY };
	struct fake f = { 0 };

	CU_ASSERT(matches("openat:error=EIO:args=arg3 & O_CREAT", "openat", creat, &f));
	CU_ASSERT(!matches("openat:error=EIO:args=arg3 & O_CREAT", "openat", rd, &f));
	CU_ASSERT(matches("openat:error=EIO:args=arg3 & O_ACCMODE == O_WRONLY", "openat", creat, &f));
	CU_ASSERT(!matches("openat:error=EIO:args=arg3 & O_ACCMODE != O_WRONLY", "openat", creat, &f));
	CU_ASSERT(matches("openat:error=EIO:args=arg1 == AT_FDCWD", "openat", rd, &f));
	CU_ASSERT(matches("openat:error=EIO:args=arg1 == -100", "openat", rd, &f));
	CU_ASSERT(matches("openat:error=EIO:args=arg4 >= 0600:args=arg4 < 0x1000", "openat", creat, &f));
	CU_ASSERT(!matches("openat:error=EIO:args=arg4 > 0644", "openat", creat, &f));
	CU_ASSERT(matches("openat:error=EIO:args=arg3 & O_CREAT|O_EXCL", "openat", creat, &f));
	/* i386: 32-bit arguments, so -100 is 0xffffff9c there */
	struct sf_rule *r = rule_of("openat:error=EIO:args=arg1 == -100");
	uint64_t a32[6] = { 0xffffff9cu, 0x1000 };
	struct sf_call_view v = view_of("openat", a32, &f, SF_ABI_I386);
	CU_ASSERT(sf_filter_matches(&r->filter, &v));
	sf_rule_free(r);
}

static void test_filter__strace_trace_path_and_fds(void)
{
	struct sf_trace_select s = { 0 };
	char why[256];
	uint64_t open_args[6] = { (uint64_t)AT_FDCWD, 1 };
	uint64_t read3[6] = { 3, 0x1000, 10 }, read4[6] = { 4, 0x1000, 10 };
	struct fake f = { .raw = { NULL, "/etc/hostname" }, .resolved = { NULL, "/etc/hostname" },
			  .link = { [3] = "/etc/hostname", [4] = "/etc/passwd" } };
	struct fake rel = { .raw = { NULL, "hostname" }, .resolved = { NULL, "/etc/hostname" } };

	CU_ASSERT_EQUAL(sf_trace_select_add_path(&s, "/etc/hostname", why, sizeof(why)), 0);
	struct sf_call_view v = view_of("openat", open_args, &f, SF_ABI_X86_64);
	CU_ASSERT(sf_trace_select_matches(&s, &v));   /* as written */
	v = view_of("openat", open_args, &rel, SF_ABI_X86_64);
	CU_ASSERT(!sf_trace_select_matches(&s, &v));  /* strace compares the string, not the file */
	v = view_of("read", read3, &f, SF_ABI_X86_64);
	CU_ASSERT(sf_trace_select_matches(&s, &v));   /* by the fd's link */
	v = view_of("read", read4, &f, SF_ABI_X86_64);
	CU_ASSERT(!sf_trace_select_matches(&s, &v));
	CU_ASSERT_EQUAL(sf_trace_select_add_fds(&s, "4", why, sizeof(why)), 0);
	CU_ASSERT(sf_trace_select_matches(&s, &v));   /* --trace-fds adds to -P */
	uint64_t none[6] = { 0 };
	v = view_of("getpid", none, &f, SF_ABI_X86_64);
	CU_ASSERT(!sf_trace_select_matches(&s, &v));  /* calls on no path or fd never match */
	sf_trace_select_release(&s);
	CU_ASSERT(sf_trace_select_add_path(&s, "", why, sizeof(why)) < 0);
	/* a refused --trace-fds leaves nothing behind: the run selects as before */
	CU_ASSERT(sf_trace_select_add_fds(&s, "1,x", why, sizeof(why)) < 0);
	CU_ASSERT(!sf_trace_select_is_set(&s));
	sf_trace_select_release(&s);
}

/* `when` counts the calls the filter lets through, not every call of the syscall. */
static void test_filter__when_counts_only_filtered_calls(void)
{
	struct sf_rules rules;
	struct sf_rule_tally tally[1] = { { 0 } };
	struct sf_counters *thread = NULL, *process = NULL, *tree = NULL;
	struct sf_units u = { &thread, &process, &tree, 1, 1 };
	uint64_t to1[6] = { 1 }, to2[6] = { 2 };
	struct fake f = { 0 };
	const int seq[] = { 2, 1, 2, 2, 1, 1 };   /* fds written to, in order */
	int acted_at = -1;

	sf_rules_init(&rules);
	CU_ASSERT_FATAL(sf_rules_append(&rules, rule_of("write:error=EIO:fd=1:when=2")) == 0);
	CU_ASSERT_FATAL(sf_rules_finalize(&rules) == 0);
	for (int i = 0; i < 6; i++) {
		struct sf_call_view v = view_of("write", seq[i] == 1 ? to1 : to2, &f, SF_ABI_X86_64);
		if (sf_rules_decide(&rules, tally, &u, 0, &v, false, NULL) && acted_at < 0)
			acted_at = i;
	}
	CU_ASSERT_EQUAL(acted_at, 4);          /* the second write to fd 1 */
	CU_ASSERT_EQUAL(tally[0].matched, 3);  /* the writes to fd 2 were never counted */
	sf_counters_free(thread);
	sf_counters_free(process);
	sf_counters_free(tree);
	sf_rules_release(&rules);
}

static void test_filter__paths_resolve_lexically(void)
{
	char out[PATH_MAX];

	CU_ASSERT(sf_path_join_normal("/home/u", "a/b", out));
	CU_ASSERT_STRING_EQUAL(out, "/home/u/a/b");
	CU_ASSERT(sf_path_join_normal("/home/u", "../x//./y/", out));
	CU_ASSERT_STRING_EQUAL(out, "/home/x/y");
	CU_ASSERT(sf_path_join_normal("/home/u", "/etc/../../..", out));
	CU_ASSERT_STRING_EQUAL(out, "/");
	CU_ASSERT(sf_path_join_normal("/", ".", out));
	CU_ASSERT_STRING_EQUAL(out, "/");
	CU_ASSERT(sf_path_join_normal("/d", "", out));   /* AT_EMPTY_PATH: the dirfd itself */
	CU_ASSERT_STRING_EQUAL(out, "/d");
	char *longp = malloc(PATH_MAX + 10);
	CU_ASSERT_PTR_NOT_NULL_FATAL(longp);
	memset(longp, 'a', PATH_MAX + 9);
	longp[PATH_MAX + 9] = '\0';
	CU_ASSERT(!sf_path_join_normal("/", longp, out));
	free(longp);
}

static void test_filter__check_prints_the_filter(void)
{
	struct sf_rule *r = rule_of("openat,write:error=EIO:path=/tmp/*:fd=1,3..4:fd_type=pipe:args=arg3 & O_CREAT");
	char text[512];

	sf_filter_describe(&r->filter, text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, " path=/tmp/* fd=1,3..4 fd_type=pipe args=\"arg3 & O_CREAT\"");
	sf_rule_free(r);
}

void sf_test_register_filter(void)
{
	CU_pSuite s = CU_add_suite("unit_filter", NULL, NULL);

	CU_add_test(s, "roles come from the kernel signatures", test_filter__roles_come_from_the_kernel_signatures);
	CU_add_test(s, "every %file call has a path or an fd", test_filter__every_file_call_has_a_path_or_an_fd);
	CU_add_test(s, "path globs", test_filter__path_globs);
	CU_add_test(s, "rename matches either path", test_filter__rename_matches_either_path);
	CU_add_test(s, "fds and their types", test_filter__fds_and_their_types);
	CU_add_test(s, "process by comm or exe", test_filter__process_by_comm_or_exe);
	CU_add_test(s, "process: the comm only when the exe does not decide",
		    test_filter__process_asks_the_comm_only_when_the_exe_does_not_decide);
	CU_add_test(s, "argument conditions", test_filter__argument_conditions);
	CU_add_test(s, "strace -P and --trace-fds", test_filter__strace_trace_path_and_fds);
	CU_add_test(s, "when counts only filtered calls", test_filter__when_counts_only_filtered_calls);
	CU_add_test(s, "paths resolve lexically", test_filter__paths_resolve_lexically);
	CU_add_test(s, "check prints the filter", test_filter__check_prints_the_filter);
}
