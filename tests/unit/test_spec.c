/*
 * unit_spec: strace's -e inject= / -e fault= syntax (spec.h) and the syscall
 * set grammar under it (sysset.h).  The malformed table covers the ground
 * of strace's tests/qual_inject-syntax.test and qual_fault-syntax.test.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/spec.h"
#include "sysfault/sysfault.h"
#include "rules/sysset.h"

static struct sf_rule *parse_ok(const char *spec)
{
	char why[512] = "";
	struct sf_rule *r = sf_spec_parse(spec, why, sizeof(why));

	if (!r)
		fprintf(stderr, "\n'%s' rejected: %s\n", spec, why);
	CU_ASSERT_PTR_NOT_NULL(r);
	return r;
}

/* Rejected, with a reason; returns the reason for further checks. */
static const char *parse_bad(const char *spec)
{
	static char why[512];
	struct sf_rule *r;

	why[0] = '\0';
	r = sf_spec_parse(spec, why, sizeof(why));
	if (r) {
		fprintf(stderr, "\n'%s' was accepted\n", spec);
		sf_rule_free(r);
	}
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT(why[0] != '\0');
	CU_ASSERT_PTR_NULL(strchr(why, '\n'));
	return why;
}

static bool has(const struct sf_rule *r, enum sf_abi abi, const char *name)
{
	int nr = sf_syscall_number(abi, name);
	return nr >= 0 && sf_sysset_has(&r->set, abi, (unsigned)nr);
}

static unsigned count(const struct sf_rule *r, enum sf_abi abi)
{
	unsigned n = 0;
	for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++)
		n += sf_sysset_has(&r->set, abi, nr);
	return n;
}

static unsigned named(enum sf_abi abi)
{
	unsigned n = 0;
	for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++)
		n += sf_syscall_name(abi, nr) != NULL;
	return n;
}

/* Captured warnings, for retval=. */
static char last_line[1024];
static unsigned nlines;
static void capture(enum sf_diag_kind kind, const char *line, void *arg)
{
	snprintf(last_line, sizeof(last_line), "%s", line);
	nlines++;
}

/* ---- Tokens ------------------------------------------------------------- */

static void test_spec__error_by_name(void)
{
	struct sf_rule *r = parse_ok("inject=openat:error=ENOENT");

	if (!r)
		return;
	CU_ASSERT_EQUAL(r->action.flags, SF_ACT_ERROR);
	CU_ASSERT_EQUAL(r->action.error, ENOENT);
	CU_ASSERT(has(r, SF_ABI_X86_64, "openat"));
	CU_ASSERT_EQUAL(count(r, SF_ABI_X86_64), 1);
	sf_rule_free(r);
}

static void test_spec__error_name_is_case_insensitive(void)
{
	struct sf_rule *r = parse_ok("openat:error=enospc");

	if (r)
		CU_ASSERT_EQUAL(r->action.error, ENOSPC);
	sf_rule_free(r);
}

static void test_spec__error_by_number(void)
{
	struct sf_rule *r = parse_ok("openat:error=4095");

	if (r)
		CU_ASSERT_EQUAL(r->action.error, 4095);
	sf_rule_free(r);
	r = parse_ok("openat:error=1");
	if (r)
		CU_ASSERT_EQUAL(r->action.error, 1);
	sf_rule_free(r);
}

static void test_spec__retval(void)
{
	struct sf_rule *r = parse_ok("inject=read:retval=42");

	if (r) {
		CU_ASSERT_EQUAL(r->action.flags, SF_ACT_RETVAL);
		CU_ASSERT_EQUAL(r->action.retval, 42);
	}
	sf_rule_free(r);
	r = parse_ok("read:retval=0x10");
	if (r)
		CU_ASSERT_EQUAL(r->action.retval, 16);
	sf_rule_free(r);
	sf_diag_set_sink(capture, NULL);   /* -1 as a signed long: warns */
	r = parse_ok("read:retval=18446744073709551615");
	sf_diag_set_sink(NULL, NULL);
	if (r)
		CU_ASSERT_EQUAL(r->action.retval, UINT64_MAX);
	sf_rule_free(r);
}

static void test_spec__retval_like_an_error_warns(void)
{
	struct sf_rule *r;

	nlines = 0;
	sf_diag_set_sink(capture, NULL);
	r = parse_ok("read:retval=0xfffffffffffffffe");  /* -2 as a signed long */
	sf_diag_set_sink(NULL, NULL);
	CU_ASSERT_EQUAL(nlines, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_line, "may be seen as error ENOENT"));
	sf_rule_free(r);

	nlines = 0;
	sf_diag_set_sink(capture, NULL);
	r = parse_ok("read:retval=1");
	sf_diag_set_sink(NULL, NULL);
	CU_ASSERT_EQUAL(nlines, 0);
	sf_rule_free(r);
}

static void test_spec__signal(void)
{
	static const char *const specs[] = {
		"getpid:signal=SIGUSR1", "getpid:signal=USR1", "getpid:signal=usr1",
		"getpid:signal=10",
	};

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct sf_rule *r = parse_ok(specs[i]);
		if (!r)
			continue;
		CU_ASSERT_EQUAL(r->action.flags, SF_ACT_SIGNAL);
		CU_ASSERT_EQUAL(r->action.signo, SIGUSR1);
		sf_rule_free(r);
	}
	struct sf_rule *r = parse_ok("getpid:signal=64");
	if (r)
		CU_ASSERT_EQUAL(r->action.signo, 64);
	sf_rule_free(r);
}

static void test_spec__signal_with_error(void)
{
	struct sf_rule *r = parse_ok("chdir:signal=SIGUSR2:error=EPERM:when=2");

	if (!r)
		return;
	CU_ASSERT_EQUAL(r->action.flags, SF_ACT_SIGNAL | SF_ACT_ERROR);
	CU_ASSERT_EQUAL(r->action.signo, SIGUSR2);
	CU_ASSERT_EQUAL(r->action.error, EPERM);
	CU_ASSERT_EQUAL(r->when.first, 2);
	sf_rule_free(r);
}

static void test_spec__when(void)
{
	struct sf_rule *r = parse_ok("write:error=EIO:when=2..6+2");

	if (!r)
		return;
	CU_ASSERT_EQUAL(r->when.first, 2);
	CU_ASSERT_EQUAL(r->when.last, 6);
	CU_ASSERT_EQUAL(r->when.step, 2);
	sf_rule_free(r);
}

static void test_spec__default_when_is_every_call(void)
{
	struct sf_rule *r = parse_ok("write:error=EIO");

	if (!r)
		return;
	CU_ASSERT_EQUAL(r->when.first, 1);
	CU_ASSERT_EQUAL(r->when.last, SF_WHEN_LAST_INF);
	CU_ASSERT_EQUAL(r->when.step, 1);
	CU_ASSERT_EQUAL(r->probability, 1.0);
	CU_ASSERT_EQUAL(r->scope, SF_SCOPE_THREAD);
	sf_rule_free(r);
}

static void test_spec__delays(void)
{
	static const struct { const char *spec; uint64_t enter, exit; } cases[] = {
		{ "read:delay_enter=10", 10000, 0 },         /* bare: microseconds */
		{ "read:delay_enter=10us", 10000, 0 },
		{ "read:delay_enter=7ns", 7, 0 },
		{ "read:delay_exit=5ms", 0, 5000000 },
		{ "read:delay_exit=2s", 0, 2000000000 },
		{ "read:delay_exit=1m", 0, 60000000000 },
		{ "read:delay_exit=1h", 0, 3600000000000 },
		{ "read:delay_enter=1.5ms:delay_exit=0", 1500000, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_rule *r = parse_ok(cases[i].spec);
		if (!r)
			continue;
		CU_ASSERT_EQUAL(r->action.delay_enter_ns, cases[i].enter);
		CU_ASSERT_EQUAL(r->action.delay_exit_ns, cases[i].exit);
		CU_ASSERT(r->action.flags & (SF_ACT_DELAY_ENTER | SF_ACT_DELAY_EXIT));
		sf_rule_free(r);
	}
}

static void test_spec__syscall_substitute(void)
{
	struct sf_rule *r = parse_ok("inject=unlink:syscall=getpid:retval=0");

	if (!r)
		return;
	CU_ASSERT(r->action.flags & SF_ACT_SYSCALL);
	CU_ASSERT_EQUAL(r->action.substitute_nr[SF_ABI_X86_64],
			sf_syscall_number(SF_ABI_X86_64, "getpid"));
	CU_ASSERT_EQUAL(r->action.substitute_nr[SF_ABI_I386],
			sf_syscall_number(SF_ABI_I386, "getpid"));
	sf_rule_free(r);
}

static void test_spec__syscall_must_be_pure(void)
{
	const char *why = parse_bad("inject=unlink:syscall=openat:retval=0");

	CU_ASSERT_STRING_EQUAL(why, "syscall=openat must be a %pure syscall such as getpid");
}

/* Whether SPEC's rule runs NAME (x86_64) before replacing its result. */
static bool runs_first(const char *spec, const char *name)
{
	struct sf_rule *r = parse_ok(spec);
	int nr = sf_syscall_number(SF_ABI_X86_64, name);
	bool runs = r && nr >= 0 && sf_action_runs_first(&r->action, SF_ABI_X86_64, (unsigned)nr);

	sf_rule_free(r);
	return runs;
}

static void test_spec__call_run_runs_every_call_of_the_set(void)
{
	CU_ASSERT(runs_first("write,fsync:error=EIO:call=run", "write"));
	CU_ASSERT(runs_first("write,fsync:error=EIO:call=run", "fsync"));
	CU_ASSERT(runs_first("inject=write:retval=1:call=run", "write"));
	CU_ASSERT(!runs_first("write:error=EIO", "write"));
	CU_ASSERT(!runs_first("write:error=EIO:call=skip", "write"));
}

/* close(2): Linux frees the descriptor even when close fails, so close runs unless told. */
static void test_spec__close_runs_first_by_default(void)
{
	CU_ASSERT(runs_first("close:error=EIO", "close"));
	CU_ASSERT(runs_first("close:retval=0", "close"));
	CU_ASSERT(runs_first("fault=close", "close"));
	CU_ASSERT(runs_first("read,close:error=EBADF", "close"));
	CU_ASSERT(!runs_first("read,close:error=EBADF", "read"));
	CU_ASSERT(!runs_first("close:error=EIO:call=skip", "close"));
	CU_ASSERT(!runs_first("close:syscall=getpid:error=EIO", "close"));
	CU_ASSERT(!runs_first("close:signal=SIGUSR1", "close"));
	/* its real failures come before it closes anything */
	CU_ASSERT(!runs_first("close_range:error=EINVAL", "close_range"));
}

static void test_spec__call_mode_mistakes_name_the_fix(void)
{
	CU_ASSERT_STRING_EQUAL(parse_bad("write:error=EIO:call=rnu"),
			       "unknown call mode \"rnu\"; did you mean \"run\"?");
	CU_ASSERT_STRING_EQUAL(parse_bad("write:error=EIO:call=later"),
			       "unknown call mode \"later\"; use run (the call runs, then its result "
			       "is replaced) or skip (it never runs)");
	CU_ASSERT_STRING_EQUAL(parse_bad("write:signal=SIGUSR1:call=run"),
			       "call= needs error= or retval=; with only signal= or delays the call runs anyway");
	CU_ASSERT_STRING_EQUAL(parse_bad("unlink:syscall=getpid:retval=0:call=skip"),
			       "call= and syscall= together; syscall= already runs another call instead, keep one");
	CU_ASSERT_STRING_EQUAL(parse_bad("write:error=EIO:call=run:call=skip"), "call= given twice; keep one");
	CU_ASSERT_STRING_EQUAL(parse_bad("write:error=EIO:cal=run"),
			       "unknown token \"cal=\"; did you mean \"call=\"?");
}

static void test_spec__fault_defaults_to_enosys(void)
{
	struct sf_rule *r = parse_ok("fault=chdir");

	if (r) {
		CU_ASSERT_EQUAL(r->action.flags, SF_ACT_ERROR);
		CU_ASSERT_EQUAL(r->action.error, ENOSYS);
	}
	sf_rule_free(r);
	r = parse_ok("fault=chdir:when=3");
	if (r) {
		CU_ASSERT_EQUAL(r->action.error, ENOSYS);
		CU_ASSERT_EQUAL(r->when.first, 3);
	}
	sf_rule_free(r);
	r = parse_ok("fault=chdir:error=EACCES");
	if (r)
		CU_ASSERT_EQUAL(r->action.error, EACCES);
	sf_rule_free(r);
}

static void test_spec__inject_needs_an_action(void)
{
	const char *why = parse_bad("inject=chdir:when=3");

	CU_ASSERT_PTR_NOT_NULL(strstr(why, "add error=, retval=, signal=, delay_enter=, delay_exit=, poke_enter=, poke_exit= or short="));
}

static void test_spec__poke_bytes_and_arguments(void)
{
	struct sf_rule *r = parse_ok("inject=write:poke_enter=@arg2=48692100,@arg3=ff:poke_exit=@arg2=0A");

	if (!r)
		return;
	const struct sf_action *a = &r->action;
	CU_ASSERT_EQUAL(a->flags, SF_ACT_POKE_ENTER | SF_ACT_POKE_EXIT);
	CU_ASSERT_EQUAL(a->poke_enter.n, 2);
	CU_ASSERT_EQUAL(a->poke_enter.v[0].arg, 1);   /* strace's @arg2 is the second argument */
	CU_ASSERT_EQUAL(a->poke_enter.v[0].len, 4);
	CU_ASSERT(memcmp(a->poke_enter.v[0].bytes, "Hi!\0", 4) == 0);
	CU_ASSERT_EQUAL(a->poke_enter.v[1].arg, 2);
	CU_ASSERT_EQUAL(a->poke_enter.v[1].bytes[0], 0xff);
	CU_ASSERT_EQUAL(a->poke_exit.n, 1);
	CU_ASSERT_EQUAL(a->poke_exit.v[0].bytes[0], '\n');
	sf_rule_free(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("read:poke_enter=@arg2=abc"), "odd number of hex digits"));
}

static void test_spec__short_in_bytes_fraction_or_percent(void)
{
	struct sf_rule *r = parse_ok("write:short=100:when=2");

	if (r) {
		CU_ASSERT_EQUAL(r->action.flags, SF_ACT_SHORT);
		CU_ASSERT_EQUAL(r->action.shorten.bytes, 100);
		CU_ASSERT_EQUAL(r->action.shorten.fraction, 0.0);
		sf_rule_free(r);
	}
	r = parse_ok("read:short=0.25");
	if (r) {
		CU_ASSERT_EQUAL(r->action.shorten.bytes, 0);
		CU_ASSERT_DOUBLE_EQUAL(r->action.shorten.fraction, 0.25, 1e-12);
		sf_rule_free(r);
	}
	r = parse_ok("readv:short=10%");
	if (r) {
		CU_ASSERT_DOUBLE_EQUAL(r->action.shorten.fraction, 0.10, 1e-12);
		sf_rule_free(r);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("getpid:short=5"), "needs a call that moves bytes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("write:error=EIO:short=5"), "keep one"));
}

/* Filter tokens fill the rule's filter; mistakes say what would be right. */
static void test_spec__filter_tokens(void)
{
	struct sf_rule *r = parse_ok("openat,write:error=EACCES:path=/tmp/*:path=!*.log:fd=1,3..5:"
				     "fd_type=pipe,fifo,socket:process=cat:args=arg3 & O_CREAT");

	if (!r)
		return;
	const struct sf_filter *f = &r->filter;
	CU_ASSERT_EQUAL(f->path.n, 2);
	CU_ASSERT_STRING_EQUAL(f->path.v[1], "!*.log");
	CU_ASSERT_EQUAL(f->fd.n, 2);
	CU_ASSERT_EQUAL(f->fd.v[1].lo, 3);
	CU_ASSERT_EQUAL(f->fd.v[1].hi, 5);
	CU_ASSERT_EQUAL(f->fd_types, (1u << SF_FD_PIPE) | (1u << SF_FD_SOCKET));
	CU_ASSERT_EQUAL(f->process.n, 1);
	CU_ASSERT_EQUAL(f->nargs, 1);
	CU_ASSERT_EQUAL(f->args[0].arg, 2);
	CU_ASSERT_EQUAL(f->args[0].op, SF_COND_ANY);
	CU_ASSERT_EQUAL(f->args[0].mask, 0100);   /* O_CREAT on x86_64 */
	sf_rule_free(r);
	CU_ASSERT_STRING_EQUAL(parse_bad("read:error=EIO:fd_type=pip"),
			       "unknown fd_type \"pip\"; did you mean \"pipe\"?");
	CU_ASSERT_STRING_EQUAL(parse_bad("openat:error=EIO:args=arg3 & O_CRAET"),
			       "unknown constant \"O_CRAET\" in args; did you mean \"O_CREAT\"?");
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("write:error=EIO:path=/x"), "use fd_path"));
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("getpid:error=EIO:fd=1"), "takes a file descriptor"));
}

/* A number no table names and far past the last named one is no syscall, as strace says. */
static void test_spec__number_of_no_syscall_is_refused(void)
{
	const char *why = parse_bad("inject=999:error=EIO");

	CU_ASSERT_PTR_NOT_NULL(strstr(why, "syscall number 999 is no syscall on any ABI"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "the highest known is"));
	sf_rule_free(parse_ok("inject=?999:error=EIO"));
}

/* Every key= of the grammar gets the same "did you mean" as any other name. */
static void test_spec__misspelt_keys_get_a_suggestion(void)
{
	static const struct { const char *spec, *why; } cases[] = {
		{ "write:eror=EIO", "unknown token \"eror=\"; did you mean \"error=\"?" },
		{ "write:ERROR=EIO", "unknown token \"ERROR=\"; did you mean \"error=\"?" },
		{ "write:retvl=0", "unknown token \"retvl=\"; did you mean \"retval=\"?" },
		{ "write:sigal=SIGUSR1", "unknown token \"sigal=\"; did you mean \"signal=\"?" },
		{ "write:whne=2:error=EIO", "unknown token \"whne=\"; did you mean \"when=\"?" },
		{ "write:delay_entr=1ms", "unknown token \"delay_entr=\"; did you mean \"delay_enter=\"?" },
		{ "write:delay_exitt=1ms", "unknown token \"delay_exitt=\"; did you mean \"delay_exit=\"?" },
		{ "write:sycall=getpid", "unknown token \"sycall=\"; did you mean \"syscall=\"?" },
		{ "write:frobnicate=1", "unknown token \"frobnicate=\"; use when=, error=, retval=, "
		  "signal=, syscall=, delay_enter=, delay_exit=, poke_enter=, poke_exit=, call=, short=, "
		  "or a filter: path=, fd_path=, fd=, fd_type=, process=, caller=, args=" },
		{ "write:shrot=5", "unknown token \"shrot=\"; did you mean \"short=\"?" },
		{ "write:fd_tpye=pipe", "unknown token \"fd_tpye=\"; did you mean \"fd_type=\"?" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = parse_bad(cases[i].spec);
		if (strcmp(why, cases[i].why) != 0)
			fprintf(stderr, "\n'%s'\n got: %s\nwant: %s\n", cases[i].spec, why, cases[i].why);
		CU_ASSERT_STRING_EQUAL(why, cases[i].why);
	}
}

/* Delays say what is wrong in duration.h's words, with bare microseconds. */
static void test_spec__bad_delays_use_the_duration_words(void)
{
	CU_ASSERT_STRING_EQUAL(parse_bad("read:delay_enter=10xs"),
			       "bad unit in duration \"10xs\"; write a number with ns, us, ms, s, m "
			       "or h, e.g. 10ms (a bare number is microseconds)");
	CU_ASSERT_STRING_EQUAL(parse_bad("read:delay_exit=-1"),
			       "negative duration \"-1\"; write a number with ns, us, ms, s, m "
			       "or h, e.g. 10ms (a bare number is microseconds)");
}

static void test_spec__messages_name_the_bad_piece(void)
{
	CU_ASSERT_STRING_EQUAL(parse_bad("openat:error=ENOENTT"),
			       "unknown errno \"ENOENTT\"; did you mean \"ENOENT\"?");
	CU_ASSERT_STRING_EQUAL(parse_bad("wirte:error=EIO"),
			       "unknown syscall \"wirte\"; did you mean \"write\"?");
	CU_ASSERT_STRING_EQUAL(parse_bad("write:eror=EIO"),
			       "unknown token \"eror=\"; did you mean \"error=\"?");
	CU_ASSERT_STRING_EQUAL(parse_bad("write:error=1:error=2"),
			       "error= given twice; keep one");
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("fault=write:retval=0"), "fault= takes only error= and when="));
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("write@64x:error=EIO"), "@64x"));
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("trace=write"), "inject= or fault="));
}

/* ---- Syscall sets -------------------------------------------------------- */

static void test_spec__set_names(void)
{
	struct sf_rule *r = parse_ok("read,write:error=EIO");

	if (!r)
		return;
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		CU_ASSERT(has(r, abi, "read"));
		CU_ASSERT(has(r, abi, "write"));
		CU_ASSERT_EQUAL(count(r, abi), 2);
	}
	sf_rule_free(r);
}

static void test_spec__set_numbers(void)
{
	/* 0 is read on x86_64 and x32, restart_syscall on i386: each ABI's own. */
	struct sf_rule *r = parse_ok("0:error=EIO");

	if (!r)
		return;
	CU_ASSERT(sf_sysset_has(&r->set, SF_ABI_X86_64, 0));
	CU_ASSERT(sf_sysset_has(&r->set, SF_ABI_I386, 0));
	CU_ASSERT_EQUAL(count(r, SF_ABI_X86_64), 1);
	sf_rule_free(r);
	parse_bad("1024:error=EIO");
}

static void test_spec__set_number_unknown_to_libseccomp_selects_every_abi(void)
{
	/* Newer syscalls share one number on every ABI (Linux 5.1+). */
	/* One past the last number libseccomp names: a call newer than its tables. */
	unsigned top = 0;
	for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++)
		if (sf_syscall_name(SF_ABI_X86_64, nr) && nr < 512)
			top = nr;
	char spec[32];
	snprintf(spec, sizeof(spec), "%u:error=EIO", top + 1);
	struct sf_rule *r = parse_ok(spec);

	if (!r)
		return;
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		CU_ASSERT(sf_sysset_has(&r->set, abi, top + 1));
		CU_ASSERT_EQUAL(count(r, abi), 1);
	}
	sf_rule_free(r);
}

static void test_spec__set_class(void)
{
	struct sf_rule *r = parse_ok("%file:error=EACCES");

	if (!r)
		return;
	CU_ASSERT(has(r, SF_ABI_X86_64, "openat"));
	CU_ASSERT(!has(r, SF_ABI_X86_64, "getpid"));
	sf_rule_free(r);
	r = parse_ok("file:error=EACCES");   /* strace's legacy class name */
	if (r)
		CU_ASSERT(has(r, SF_ABI_X86_64, "openat"));
	sf_rule_free(r);
}

static void test_spec__set_regex(void)
{
	struct sf_rule *r = parse_ok("/^read:error=EIO");

	if (!r)
		return;
	CU_ASSERT(has(r, SF_ABI_X86_64, "read"));
	CU_ASSERT(has(r, SF_ABI_X86_64, "readv"));
	CU_ASSERT(has(r, SF_ABI_X86_64, "readlink"));
	CU_ASSERT(!has(r, SF_ABI_X86_64, "pread64"));
	sf_rule_free(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("/^zzz_nothing:error=EIO"), "matches no syscall"));
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("/(:error=EIO"), "bad regular expression"));
}

static void test_spec__set_optional(void)
{
	struct sf_rule *r = parse_ok("?no_such_call,write:error=EIO");

	if (r) {
		CU_ASSERT(has(r, SF_ABI_X86_64, "write"));
		CU_ASSERT_EQUAL(count(r, SF_ABI_X86_64), 1);
	}
	sf_rule_free(r);
	r = parse_ok("??no_such_call:error=EIO");
	if (r)
		CU_ASSERT(sf_sysset_is_empty(&r->set));
	sf_rule_free(r);
}

static void test_spec__set_negation(void)
{
	struct sf_rule *r = parse_ok("!write:error=EIO");

	if (r) {
		CU_ASSERT(!has(r, SF_ABI_X86_64, "write"));
		CU_ASSERT(has(r, SF_ABI_X86_64, "read"));
		CU_ASSERT_EQUAL(count(r, SF_ABI_X86_64), named(SF_ABI_X86_64) - 1);
	}
	sf_rule_free(r);
	r = parse_ok("!!write:error=EIO");
	if (r)
		CU_ASSERT_EQUAL(count(r, SF_ABI_X86_64), 1);
	sf_rule_free(r);
}

static void test_spec__set_all_and_none(void)
{
	struct sf_rule *r = parse_ok("all:error=EIO");

	if (r)
		for (int abi = 0; abi < SF_ABI_COUNT; abi++)
			CU_ASSERT_EQUAL(count(r, abi), named(abi));
	sf_rule_free(r);
	r = parse_ok("none:error=EIO");
	if (r)
		CU_ASSERT(sf_sysset_is_empty(&r->set));
	sf_rule_free(r);
	r = parse_ok("!none:error=EIO");
	if (r)
		CU_ASSERT_EQUAL(count(r, SF_ABI_I386), named(SF_ABI_I386));
	sf_rule_free(r);
	r = parse_ok("!all:error=EIO");
	if (r)
		CU_ASSERT(sf_sysset_is_empty(&r->set));
	sf_rule_free(r);
}

static void test_spec__set_abi_suffix(void)
{
	struct sf_rule *r = parse_ok("write@64:error=EIO");

	if (r) {
		CU_ASSERT(has(r, SF_ABI_X86_64, "write"));
		CU_ASSERT_EQUAL(count(r, SF_ABI_I386), 0);
		CU_ASSERT_EQUAL(count(r, SF_ABI_X32), 0);
	}
	sf_rule_free(r);
	r = parse_ok("write@32,read@x32:error=EIO");
	if (r) {
		CU_ASSERT_EQUAL(count(r, SF_ABI_X86_64), 0);
		CU_ASSERT(has(r, SF_ABI_I386, "write"));
		CU_ASSERT(has(r, SF_ABI_X32, "read"));
		CU_ASSERT_EQUAL(count(r, SF_ABI_X32), 1);
	}
	sf_rule_free(r);
	/* socketcall exists on i386 only. */
	parse_bad("socketcall@64:error=EIO");
	r = parse_ok("?socketcall@64:error=EIO");
	sf_rule_free(r);
}

static void test_spec__sysset_parse_direct(void)
{
	struct sf_sysset set;
	char why[256];

	CU_ASSERT_EQUAL(sf_sysset_parse(&set, "read", why, sizeof(why)), 0);
	CU_ASSERT(!sf_sysset_is_empty(&set));
	CU_ASSERT_EQUAL(sf_sysset_add_token(&set, "write", why, sizeof(why)), 0);
	CU_ASSERT(sf_sysset_has(&set, SF_ABI_X86_64, (unsigned)sf_syscall_number(SF_ABI_X86_64, "write")));
	CU_ASSERT_EQUAL(sf_sysset_add_token(&set, "wirte", why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "unknown syscall \"wirte\"; did you mean \"write\"?");

	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	sf_sysset_print(&set, SF_ABI_X86_64, out);
	fclose(out);
	CU_ASSERT_STRING_EQUAL(text, "read,write");
	free(text);
}

/* glibc's regcomp grows as a power of stacked repetitions: refused by its cost, in milliseconds. */
static void test_spec__costly_regex_is_refused_at_once(void)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *why = parse_bad("/^getp++++++++++++++++++++:error=EIO");   /* 0.7 GB unbounded */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CU_ASSERT_STRING_EQUAL(why, "regular expression \"/^getp++++++++++++++++++++\" is too "
			       "costly: compiling it takes more than 64 MiB or 2 s; repeated quantifiers "
			       "(a++, (a+)+, a{9}{9}) multiply its size, keep one per element");
	CU_ASSERT((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 < 1.0);
	/* the same grammar as strace's regcomp otherwise */
	CU_ASSERT_STRING_EQUAL(parse_bad("/(:error=EIO"),
			       "bad regular expression \"/(\": Unmatched ( or \\(");
}

static void test_spec__kernel_internal_errno_is_refused(void)
{
	CU_ASSERT_STRING_EQUAL(parse_bad("chdir:error=512"),
			       "errno 512 is kernel-internal (512..530, ERESTARTSYS...), never returned "
			       "to a program; use 1..511 or 531..4095");
	CU_ASSERT_PTR_NOT_NULL(strstr(parse_bad("chdir:error=ERESTARTSYS"), "unknown errno"));
}

static void test_spec__empty_set_entries_are_skipped_as_strace_does(void)
{
	struct sf_rule *r = parse_ok("read,,write,:error=EIO");

	CU_ASSERT(has(r, SF_ABI_X86_64, "read") && has(r, SF_ABI_X86_64, "write"));
	CU_ASSERT_EQUAL(count(r, SF_ABI_X86_64), 2);
	sf_rule_free(r);
	CU_ASSERT_STRING_EQUAL(parse_bad(",,:error=EIO"), "no syscall in syscall list \",,\"; "
			       "name a syscall, a number, a %class or /regex");
}

/* ---- Tables --------------------------------------------------------------- */

static const char *const malformed[] = {
	/* strace qual_inject-syntax.test / qual_fault-syntax.test ground */
	"42", "chdir", "inject=chdir", "chdir:42", "!chdir:42", "chdir:42:when=7",
	"chdir:invalid", "chdir:invalid:when=8", "chdir:error=", "chdir:error=:when=10",
	"chdir:error=invalid_error_name", "chdir:error=invalid_error_name:when=11",
	"chdir:error=-1", "chdir:error=-1:when=12", "chdir:error=-2", "chdir:error=3+",
	"chdir:error=3+:when=14", "chdir:error=4096", "chdir:error=4096:when=15",
	"chdir:when=7:error=invalid_error_name", "chdir:when=", "chdir:when=:error=19",
	"chdir:when=0", "chdir:when=0:error=20", "chdir:when=-1", "chdir:when=-1:error=21",
	"chdir:when=-2+", "chdir:when=-3+0", "chdir:when=4-", "chdir:when=4-:error=24",
	"chdir:when=5+-", "chdir:when=6++", "chdir:when=7+0", "chdir:when=7+0:error=27",
	"chdir:when=8+-1", "chdir:when=9+1+", "chdir:when=65536", "chdir:when=65536:error=30",
	"chdir:when=1+65536", "chdir:when=1+65536:error=31", "chdir:retval=-1",
	"chdir:signal=0", "chdir:signal=129", "chdir:signal=65", "chdir:signal=1:signal=2",
	"chdir:signal=1:retval=0:signal=2", "chdir:retval=0:retval=1", "chdir:error=1:error=2",
	"chdir:retval=0:error=1", "chdir:error=1:retval=0", "chdir:retval=0:signal=1:error=1",
	"fault=chdir:42", "fault=!chdir:42", "fault=chdir:invalid", "fault=chdir:error=",
	"fault=chdir:error=4096", "fault=chdir:when=0", "fault=chdir:when=1+65536",
	"fault=chdir:retval=0", "fault=chdir:signal=1", "fault=chdir:error=1:error=2",
	"fault=chdir:delay_enter=1", "fault=chdir:syscall=getpid",
	/* ranges */
	"chdir:error=EIO:when=1..65535", "chdir:error=EIO:when=3..2", "chdir:error=EIO:when=1.",
	"chdir:error=EIO:when=1..2..3", "chdir:error=EIO:when= 1", "chdir:error=EIO:when=+1",
	/* sets */
	"", ":error=EIO", "inject=:error=EIO", "fault=", "wirte:error=EIO",
	",:error=EIO", ",,:error=EIO", "!,:error=EIO", "!:error=EIO",
	"read@65:error=EIO", "read@:error=EIO", "@64:error=EIO", "?:error=EIO",
	"%fiel:error=EIO", "/(:error=EIO", "/^zzzz$:error=EIO", "99999:error=EIO",
	"12abc:error=EIO", "read write:error=EIO", "trace=read", "inject=trace=read:error=EIO",
	/* tokens */
	"read:", "read:error", "read:=EIO",
	"read:eror=EIO", "read:Error=EIO", "read:error=EIO:when=2:when=3",
	"read:error= EIO", "read:error=0", "read:error=0x5", "read:retval=", "read:retval=x",
	"read:retval=12abc", "read:retval= 1", "read:retval=+1", "read:retval=99999999999999999999",
	"read:signal=", "read:signal=SIGNOPE", "read:signal=-1", "read:signal=1x",
	"read:delay_enter=", "read:delay_enter=10xs", "read:delay_enter=-1", "read:delay_enter=ms",
	"read:delay_enter=.", "read:delay_enter=1e3", "read:delay_enter=+5", "read:delay_enter=1..5ms",
	"read:delay_enter=nan", "read:delay_enter=inf", "read:delay_enter=1d",
	"read:delay_enter=1:delay_enter=2",
	"read:delay_enter=99999999999999999999s", "read:syscall=", "read:syscall=nosuchcall:retval=0",
	"read:syscall=openat:retval=0", "read:syscall=getpid",
	"read:syscall=getpid:syscall=getppid:retval=0",
	/* poke: strace's @arg1..; hex pairs */
	"read:poke_enter=@arg1=0", "read:poke_enter=@arg0=00", "read:poke_enter=@arg2=zz",
	"read:poke_enter=arg2=00", "read:poke_enter=", "read:poke_exit=@arg2=00,",
	"read:poke_enter=@arg2=00:poke_enter=@arg2=00", "fault=read:poke_enter=@arg2=00",
	"read:poke_enter=@arg2=41,@arg2=42", "read:poke_enter=@arg5=00",
	/* short= (sysfault's) */
	"read:short=0", "read:short=1.5", "read:short=0.0", "read:short=100%", "read:short=x",
	"read:error=EIO:short=5", "getpid:short=5", "read:short=5:short=6",
	/* filters (sysfault's) */
	"write:error=EIO:path=/x", "getpid:error=EIO:fd=1", "read:error=EIO:fd=-1",
	"read:error=EIO:fd=5..3", "read:error=EIO:fd=", "read:error=EIO:fd=1,,2",
	"read:error=EIO:fd_type=pip", "read:error=EIO:fd_type=", "openat:error=EIO:path=",
	"openat:error=EIO:args=arg9 == 1", "openat:error=EIO:args=arg0 == 1",
	"openat:error=EIO:args=arg3 & O_CRAET", "openat:error=EIO:args=arg3",
	"openat:error=EIO:args=arg3 & 0x40 = 1", "openat:error=EIO:args=flags & O_CREAT",
	"openat:error=EIO:args=arg1 == 12abc", "getpid:error=EIO:fd_path=/x",
	/* call= (sysfault's): needs error= or retval=, not with syscall=, run or skip once */
	"read:call=run", "read:call=skip", "read:signal=SIGUSR1:call=run",
	"read:delay_enter=1ms:call=skip", "read:delay_exit=1ms:call=run", "read:error=EIO:call=",
	"read:error=EIO:call=RUN", "read:error=EIO:call=yes", "read:error=EIO:call=run:call=run",
	"read:syscall=getpid:error=EIO:call=run", "read:syscall=getpid:error=EIO:call=skip",
	"fault=read:call=run", "fault=close:call=skip", "read:error=EIO:call",
	/* the kernel's own codes, which no program is ever given */
	"chdir:error=512", "chdir:error=516", "chdir:error=530", "chdir:error=ERESTARTSYS",
	"fault=chdir:error=524",
	/* regexes glibc compiles into 170 to 700 MB (it copies per repetition); more would be all memory */
	"/^getp++++++++++++++++++++:error=EIO", "/a{1000}{1000}:error=EIO",
	"/((((((((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+):error=EIO",
};

static void test_spec__malformed_rejected(void)
{
	size_t n = sizeof(malformed) / sizeof(malformed[0]);

	CU_ASSERT(n >= 70);
	for (size_t i = 0; i < n; i++)
		parse_bad(malformed[i]);
}

static const char *const valid[] = {
	"inject=chdir:error=ENOENT", "fault=chdir", "fault=chdir:when=2", "chdir:error=EPERM",
	"chdir:error=1:when=7", "chdir:error=4095", "chdir:retval=0",
	"chdir:retval=0777", "chdir:signal=SIGKILL", "chdir:signal=kill", "chdir:signal=1",
	"chdir:signal=64", "chdir:when=65535:error=EIO", "chdir:when=1..65534:error=EIO",
	"chdir:when=1+65535:error=EIO", "chdir:when=3..3:error=EIO", "!chdir:error=EIO",
	"all:signal=SIGUSR1", "?nosuch:error=EIO", "read,write,close:error=EBADF",
	"%desc:error=EBADF", "%file,%desc:delay_enter=1ms", "/^(read|write)$:error=EIO",
	"read@64:error=EIO", "?read@x32:error=EIO", "0,1,2:error=EIO",
	"chdir:delay_enter=100:delay_exit=2ms", "chdir:error=EIO:signal=SIGUSR1",
	"chdir:retval=1:signal=SIGUSR1:delay_exit=1s", "unlink:syscall=getpid:error=EPERM",
	"chdir:error=eio", "chdir:delay_exit=1h", "chdir:delay_enter=5MS",
	"close:error=EIO:call=run", "close:error=EIO:call=skip", "write:retval=0:call=run",
	"fsync:call=run:error=EIO",
	"%desc:error=EIO:signal=SIGUSR1:delay_exit=1ms:call=run", "close:when=2:call=skip:error=EBADF",
	/* strace's strtok_r skips empty entries; its parse_ts takes .5 and 1. */
	"read,,write:error=EIO", "read,:error=EIO", ",read:error=EIO", "read:delay_enter=.5s",
	"read:delay_enter=1.", "chdir:error=511", "chdir:error=531", "/^getp+:error=EIO",
	/* strace skips empty ':' tokens */
	"read::error=EIO", "read:error=EIO:", "write:error=EIO::when=2::",
	"read:poke_enter=@arg2=00", "write:poke_exit=@arg2=4142,@arg1=00:error=EIO",
	"read:short=1", "read,write,readv:short=0.5", "writev:short=10%",
	"openat:error=EACCES:path=/tmp/*", "openat:error=EACCES:path=!*.so*",
	"write:error=EIO:fd=1", "write:error=EIO:fd=0,2..4", "read:error=EINTR:fd_type=pipe,socket,tty",
	"read:error=EIO:fd_path=pipe?*", "read:error=EIO:process=python*",
	"openat:error=EIO:args=arg3 & O_CREAT", "openat:error=EIO:args=arg3 & O_ACCMODE == O_WRONLY",
	"write:error=EIO:args=arg1 == 1:args=arg3 >= 0x1000", "getpid:error=EIO:process=sh",
	"openat:error=EIO:args=arg1 == -100",
};

static void test_spec__valid_accepted(void)
{
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		sf_rule_free(parse_ok(valid[i]));
}

void sf_test_register_spec(void);
void sf_test_register_spec(void)
{
	CU_pSuite s = CU_add_suite("unit_spec", NULL, NULL);

	CU_add_test(s, "error_by_name", test_spec__error_by_name);
	CU_add_test(s, "costly_regex_is_refused_at_once", test_spec__costly_regex_is_refused_at_once);
	CU_add_test(s, "kernel_internal_errno_is_refused", test_spec__kernel_internal_errno_is_refused);
	CU_add_test(s, "empty_set_entries_are_skipped_as_strace_does",
		    test_spec__empty_set_entries_are_skipped_as_strace_does);
	CU_add_test(s, "error_name_is_case_insensitive", test_spec__error_name_is_case_insensitive);
	CU_add_test(s, "error_by_number", test_spec__error_by_number);
	CU_add_test(s, "retval", test_spec__retval);
	CU_add_test(s, "retval_like_an_error_warns", test_spec__retval_like_an_error_warns);
	CU_add_test(s, "signal", test_spec__signal);
	CU_add_test(s, "signal_with_error", test_spec__signal_with_error);
	CU_add_test(s, "when", test_spec__when);
	CU_add_test(s, "default_when_is_every_call", test_spec__default_when_is_every_call);
	CU_add_test(s, "delays", test_spec__delays);
	CU_add_test(s, "syscall_substitute", test_spec__syscall_substitute);
	CU_add_test(s, "syscall_must_be_pure", test_spec__syscall_must_be_pure);
	CU_add_test(s, "call_run_runs_every_call_of_the_set", test_spec__call_run_runs_every_call_of_the_set);
	CU_add_test(s, "close_runs_first_by_default", test_spec__close_runs_first_by_default);
	CU_add_test(s, "call_mode_mistakes_name_the_fix", test_spec__call_mode_mistakes_name_the_fix);
	CU_add_test(s, "fault_defaults_to_enosys", test_spec__fault_defaults_to_enosys);
	CU_add_test(s, "inject_needs_an_action", test_spec__inject_needs_an_action);
	CU_add_test(s, "poke_bytes_and_arguments", test_spec__poke_bytes_and_arguments);
	CU_add_test(s, "short_in_bytes_fraction_or_percent", test_spec__short_in_bytes_fraction_or_percent);
	CU_add_test(s, "filter_tokens", test_spec__filter_tokens);
	CU_add_test(s, "number_of_no_syscall_is_refused", test_spec__number_of_no_syscall_is_refused);
	CU_add_test(s, "messages_name_the_bad_piece", test_spec__messages_name_the_bad_piece);
	CU_add_test(s, "misspelt_keys_get_a_suggestion", test_spec__misspelt_keys_get_a_suggestion);
	CU_add_test(s, "bad_delays_use_the_duration_words", test_spec__bad_delays_use_the_duration_words);
	CU_add_test(s, "set_names", test_spec__set_names);
	CU_add_test(s, "set_numbers", test_spec__set_numbers);
	CU_add_test(s, "set_number_unknown_to_libseccomp_selects_every_abi",
		    test_spec__set_number_unknown_to_libseccomp_selects_every_abi);
	CU_add_test(s, "set_class", test_spec__set_class);
	CU_add_test(s, "set_regex", test_spec__set_regex);
	CU_add_test(s, "set_optional", test_spec__set_optional);
	CU_add_test(s, "set_negation", test_spec__set_negation);
	CU_add_test(s, "set_all_and_none", test_spec__set_all_and_none);
	CU_add_test(s, "set_abi_suffix", test_spec__set_abi_suffix);
	CU_add_test(s, "sysset_parse_direct", test_spec__sysset_parse_direct);
	CU_add_test(s, "malformed_rejected", test_spec__malformed_rejected);
	CU_add_test(s, "valid_accepted", test_spec__valid_accepted);
}
