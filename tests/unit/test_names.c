/*
 * Unit tests of names.c: syscall numbers per ABI both ways, the edges of
 * every table, strace's classes (and that classes.in only names syscalls
 * libseccomp knows), errno and signal names, and "did you mean" hints for
 * every kind of name (suggest.h's one rule).
 */
#include <CUnit/CUnit.h>
#include <getopt.h>
#include <limits.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "command/cli.h"
#include "rules/classes.h"
#include "rules/names.h"
#include "rules/suggest.h"

/* Fails with MESSAGE as the reason, which CU_FAIL cannot take at run time. */
static void fail_with(const char *message, int line)
{
	CU_assertImplementation(CU_FALSE, line, message, __FILE__, "", CU_FALSE);
}

/* ---- ABIs and syscall numbers ------------------------------------------ */

static void test_names__write_on_every_abi(void)
{
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X86_64, "write"), 1);
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_I386, "write"), 4);
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X32, "write"), 1);
	CU_ASSERT_STRING_EQUAL(sf_syscall_name(SF_ABI_X86_64, 1), "write");
	CU_ASSERT_STRING_EQUAL(sf_syscall_name(SF_ABI_I386, 4), "write");
	CU_ASSERT_STRING_EQUAL(sf_syscall_name(SF_ABI_X32, 1), "write");
}

static void test_names__openat_on_every_abi(void)
{
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X86_64, "openat"), 257);
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_I386, "openat"), 295);
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X32, "openat"), 257);
}

static void test_names__x32_numbers_exclude_the_x32_bit(void)
{
	/* x32 has its own rt_sigaction at 512; slot 13 is x86_64's only. */
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X32, "rt_sigaction"), 512);
	CU_ASSERT_PTR_NULL(sf_syscall_name(SF_ABI_X32, 13));
	CU_ASSERT_STRING_EQUAL(sf_syscall_name(SF_ABI_X32, 512), "rt_sigaction");
	CU_ASSERT_PTR_NULL(sf_syscall_name(SF_ABI_X32, SF_X32_SYSCALL_BIT | 1));
}

static void test_names__name_missing_on_an_abi_is_not_found(void)
{
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X86_64, "socketcall"), -1);
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_I386, "newfstatat"), -1);
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X86_64, "wirte"), -1);
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X86_64, ""), -1);
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X86_64, NULL), -1);
}

static void test_names__syscall_names_are_case_sensitive(void)
{
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X86_64, "WRITE"), -1);
}

static void test_names__syscall_table_edges(void)
{
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++) {
		/* No ABI has a call at the last slot; reading it must be safe. */
		CU_ASSERT_PTR_NULL(sf_syscall_name(abi, SF_NR_LIMIT - 1));
		CU_ASSERT_PTR_NULL(sf_syscall_name(abi, SF_NR_LIMIT));
		CU_ASSERT_PTR_NULL(sf_syscall_name(abi, UINT_MAX));
		CU_ASSERT_PTR_NULL(sf_syscall_name(abi, (unsigned)-1));
		CU_ASSERT_PTR_NOT_NULL(sf_syscall_name(abi, 0));
	}
	CU_ASSERT_PTR_NULL(sf_syscall_name(SF_ABI_COUNT, 1));
	CU_ASSERT_PTR_NULL(sf_syscall_name((enum sf_abi)-1, 1));
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_COUNT, "write"), -1);
}

static void test_names__x32_highest_numbers_are_in_range(void)
{
	CU_ASSERT_STRING_EQUAL(sf_syscall_name(SF_ABI_X32, 547), "pwritev2");
	CU_ASSERT_EQUAL(sf_syscall_number(SF_ABI_X32, "pwritev2"), 547);
}

static void test_names__every_syscall_number_round_trips(void)
{
	char msg[128];

	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
			const char *name = sf_syscall_name(abi, nr);
			if (name && sf_syscall_number(abi, name) != (int)nr) {
				snprintf(msg, sizeof msg, "%s: %s is %u but looks up as %d",
					 sf_abi_name(abi), name, nr,
					 sf_syscall_number(abi, name));
				fail_with(msg, __LINE__);
			}
		}
}

static void test_names__abi_names_and_designators(void)
{
	CU_ASSERT_STRING_EQUAL(sf_abi_name(SF_ABI_X86_64), "x86_64");
	CU_ASSERT_STRING_EQUAL(sf_abi_name(SF_ABI_I386), "i386");
	CU_ASSERT_STRING_EQUAL(sf_abi_name(SF_ABI_X32), "x32");
	CU_ASSERT_STRING_EQUAL(sf_abi_designator(SF_ABI_X86_64), "64");
	CU_ASSERT_STRING_EQUAL(sf_abi_designator(SF_ABI_I386), "32");
	CU_ASSERT_STRING_EQUAL(sf_abi_designator(SF_ABI_X32), "x32");
	CU_ASSERT_PTR_NULL(sf_abi_name(SF_ABI_COUNT));
}

static void test_names__abi_from_audit_arch(void)
{
	CU_ASSERT_EQUAL(sf_abi_from_arch(AUDIT_ARCH_X86_64, 1), SF_ABI_X86_64);
	CU_ASSERT_EQUAL(sf_abi_from_arch(AUDIT_ARCH_X86_64, SF_X32_SYSCALL_BIT | 1),
			SF_ABI_X32);
	CU_ASSERT_EQUAL(sf_abi_from_arch(AUDIT_ARCH_I386, 4), SF_ABI_I386);
	CU_ASSERT_EQUAL(sf_abi_from_arch(AUDIT_ARCH_AARCH64, 64), -1);
	CU_ASSERT_EQUAL(sf_abi_from_arch(0, 0), -1);
}

/* ---- Classes ------------------------------------------------------------ */

static unsigned class_mask(const char *name)
{
	unsigned mask = 0xdeadu;

	CU_ASSERT_TRUE(sf_class_lookup(name, &mask));
	return mask;
}

static void test_names__openat_is_in_file_on_every_abi(void)
{
	unsigned file = class_mask("%file");

	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++) {
		int nr = sf_syscall_number(abi, "openat");
		CU_ASSERT_TRUE(nr >= 0 && sf_syscall_has_class(abi, (unsigned)nr, file));
	}
}

static void test_names__read_is_in_desc_not_file(void)
{
	CU_ASSERT_TRUE(sf_syscall_has_class(SF_ABI_X86_64, 0, class_mask("%desc")));
	CU_ASSERT_FALSE(sf_syscall_has_class(SF_ABI_X86_64, 0, class_mask("%file")));
	CU_ASSERT_TRUE(sf_syscall_has_class(SF_ABI_I386, 3, class_mask("%desc")));
}

static void test_names__getpid_is_pure(void)
{
	unsigned pure = sf_class_pure();

	CU_ASSERT_NOT_EQUAL(pure, 0);
	CU_ASSERT_EQUAL(pure, class_mask("%pure"));
	CU_ASSERT_TRUE(sf_syscall_has_class(SF_ABI_X86_64, 39, pure));
	CU_ASSERT_TRUE(sf_syscall_has_class(SF_ABI_I386, 20, pure));
	CU_ASSERT_FALSE(sf_syscall_has_class(SF_ABI_X86_64, 1, pure));
}

static void test_names__mask_needs_every_class(void)
{
	/* openat is %desc and %file; read only %desc. */
	unsigned both = class_mask("%desc") | class_mask("%file");

	CU_ASSERT_TRUE(sf_syscall_has_class(SF_ABI_X86_64, 257, both));
	CU_ASSERT_FALSE(sf_syscall_has_class(SF_ABI_X86_64, 0, both));
}

static void test_names__legacy_class_names_equal_percent_ones(void)
{
	CU_ASSERT_EQUAL(class_mask("file"), class_mask("%file"));
	CU_ASSERT_EQUAL(class_mask("desc"), class_mask("%desc"));
	CU_ASSERT_EQUAL(class_mask("network"), class_mask("%network"));
	CU_ASSERT_EQUAL(class_mask("signal"), class_mask("%signal"));
}

static void test_names__net_equals_network(void)
{
	CU_ASSERT_EQUAL(class_mask("%net"), class_mask("%network"));
	CU_ASSERT_NOT_EQUAL(class_mask("%net"), 0);
}

static void test_names__all_matches_every_number(void)
{
	unsigned all = class_mask("all");

	CU_ASSERT_EQUAL(all, 0);
	CU_ASSERT_TRUE(sf_syscall_has_class(SF_ABI_X86_64, 24, all));
	CU_ASSERT_TRUE(sf_syscall_has_class(SF_ABI_X86_64, SF_NR_LIMIT - 1, all));
}

static void test_names__unknown_class_is_not_found(void)
{
	unsigned mask = 0x1234u;

	CU_ASSERT_FALSE(sf_class_lookup("%fle", &mask));
	CU_ASSERT_FALSE(sf_class_lookup("%File", &mask));
	CU_ASSERT_FALSE(sf_class_lookup("", &mask));
	CU_ASSERT_FALSE(sf_class_lookup(NULL, &mask));
	CU_ASSERT_EQUAL(mask, 0x1234u);
}

static void test_names__class_of_a_number_out_of_range_is_false(void)
{
	unsigned desc = class_mask("%desc");

	CU_ASSERT_FALSE(sf_syscall_has_class(SF_ABI_X86_64, SF_NR_LIMIT - 1, desc));
	CU_ASSERT_FALSE(sf_syscall_has_class(SF_ABI_X86_64, SF_NR_LIMIT, desc));
	CU_ASSERT_FALSE(sf_syscall_has_class(SF_ABI_X86_64, UINT_MAX, desc));
}

static bool resolves_somewhere(const char *name)
{
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++)
		if (sf_syscall_number(abi, name) >= 0)
			return true;
	return false;
}

/* The data check: a typo in classes.in would silently match nothing. */
static void test_names__every_classes_in_name_resolves(void)
{
	char bad[2048] = "classes.in names no ABI has:";
	size_t len = strlen(bad);
	bool is_bad = false;

	for (unsigned i = 0; i < sf_class_member_count; i++) {
		const struct sf_class_member *m = &sf_class_members[i];
		if (m->may_be_unknown || resolves_somewhere(m->name))
			continue;
		is_bad = true;
		len += (size_t)snprintf(bad + len, len < sizeof bad ? sizeof bad - len : 0,
					" %s", m->name);
	}
	if (is_bad) {
		fprintf(stderr, "%s\n", bad);
		fail_with(bad, __LINE__);
	}
}

static void test_names__class_members_are_sorted_for_bsearch(void)
{
	for (unsigned i = 1; i < sf_class_member_count; i++)
		CU_ASSERT_TRUE(strcmp(sf_class_members[i - 1].name,
				      sf_class_members[i].name) < 0);
}

static void test_names__every_class_has_a_member(void)
{
	for (unsigned i = 0; i < sf_class_name_count; i++) {
		unsigned mask = sf_class_names[i].mask;
		bool has_member = mask == 0;
		for (unsigned j = 0; j < sf_class_member_count && !has_member; j++)
			has_member = (sf_class_members[j].mask & mask) == mask;
		CU_ASSERT_TRUE(has_member);
	}
}

/* ---- errno -------------------------------------------------------------- */

static void test_names__errno_both_ways(void)
{
	CU_ASSERT_EQUAL(sf_errno_number("ENOENT"), 2);
	CU_ASSERT_EQUAL(sf_errno_number("ENOSPC"), 28);
	CU_ASSERT_STRING_EQUAL(sf_errno_name(2), "ENOENT");
	CU_ASSERT_STRING_EQUAL(sf_errno_name(28), "ENOSPC");
}

static void test_names__errno_names_ignore_case(void)
{
	CU_ASSERT_EQUAL(sf_errno_number("enoent"), 2);
	CU_ASSERT_EQUAL(sf_errno_number("EnOeNt"), 2);
}

static void test_names__unknown_errno_name_is_minus_one(void)
{
	CU_ASSERT_EQUAL(sf_errno_number("ENOENTT"), -1);
	CU_ASSERT_EQUAL(sf_errno_number("2"), -1);
	CU_ASSERT_EQUAL(sf_errno_number(""), -1);
	CU_ASSERT_EQUAL(sf_errno_number(NULL), -1);
}

static void test_names__errno_table_edges(void)
{
	/* The kernel's MAX_ERRNO (include/linux/err.h), which README documents as 1..4095. */
	CU_ASSERT_EQUAL(SF_MAX_ERRNO, 4095);
	CU_ASSERT_PTR_NULL(sf_errno_name(0));
	CU_ASSERT_PTR_NULL(sf_errno_name(-1));
	CU_ASSERT_PTR_NULL(sf_errno_name(SF_MAX_ERRNO + 1));
	CU_ASSERT_PTR_NULL(sf_errno_name(INT_MAX));
	CU_ASSERT_PTR_NULL(sf_errno_name(INT_MIN));
	CU_ASSERT_STRING_EQUAL(sf_errno_name(1), "EPERM");
	/* glibc names nothing at the top of the kernel's range: asking is safe. */
	CU_ASSERT_PTR_NULL(sf_errno_name(SF_MAX_ERRNO));
}

static void test_names__every_errno_name_round_trips(void)
{
	for (int err = 1; err <= SF_MAX_ERRNO; err++) {
		const char *name = sf_errno_name(err);
		if (name)
			CU_ASSERT_EQUAL(sf_errno_number(name), err);
	}
}

/* ---- Signals ------------------------------------------------------------ */

static void test_names__classic_signal_spellings(void)
{
	CU_ASSERT_EQUAL(sf_signal_number("SIGINT"), SIGINT);
	CU_ASSERT_EQUAL(sf_signal_number("INT"), SIGINT);
	CU_ASSERT_EQUAL(sf_signal_number("sigint"), SIGINT);
	CU_ASSERT_EQUAL(sf_signal_number("int"), SIGINT);
	CU_ASSERT_EQUAL(sf_signal_number("SIGKILL"), SIGKILL);
}

static void test_names__signal_aliases_glibc_does_not_name(void)
{
	CU_ASSERT_EQUAL(sf_signal_number("SIGIO"), SIGIO);
	CU_ASSERT_EQUAL(sf_signal_number("SIGIOT"), SIGABRT);
	CU_ASSERT_EQUAL(sf_signal_number("SIGCLD"), SIGCHLD);
}

static void test_names__realtime_signal_spellings(void)
{
	CU_ASSERT_EQUAL(sf_signal_number("SIGRTMIN"), SIGRTMIN);
	CU_ASSERT_EQUAL(sf_signal_number("SIGRTMIN+2"), SIGRTMIN + 2);
	CU_ASSERT_EQUAL(sf_signal_number("RTMIN+2"), SIGRTMIN + 2);
	CU_ASSERT_EQUAL(sf_signal_number("sigrtmin+2"), SIGRTMIN + 2);
	CU_ASSERT_EQUAL(sf_signal_number("SIGRTMAX"), SIGRTMAX);
	CU_ASSERT_EQUAL(sf_signal_number("SIGRTMAX-1"), SIGRTMAX - 1);
}

static void test_names__realtime_signal_range_edges(void)
{
	char buf[32];
	int span = SIGRTMAX - SIGRTMIN;

	snprintf(buf, sizeof buf, "SIGRTMIN+%d", span);
	CU_ASSERT_EQUAL(sf_signal_number(buf), SIGRTMAX);
	snprintf(buf, sizeof buf, "SIGRTMIN+%d", span + 1);
	CU_ASSERT_EQUAL(sf_signal_number(buf), -1);
	snprintf(buf, sizeof buf, "SIGRTMAX-%d", span);
	CU_ASSERT_EQUAL(sf_signal_number(buf), SIGRTMIN);
	snprintf(buf, sizeof buf, "SIGRTMAX-%d", span + 1);
	CU_ASSERT_EQUAL(sf_signal_number(buf), -1);
	CU_ASSERT_EQUAL(sf_signal_number("SIGRTMIN+99999999999999999999"), -1);
}

static void test_names__malformed_signal_names(void)
{
	static const char *const bad[] = {
		"SIGRTMIN-1", "SIGRTMAX+1", "SIGRTMIN+", "SIGRTMIN+x", "SIGRTMIN+1x",
		"SIGRTMIN+-1", "SIGRTMIN +1", "SIG", "", "SIGFOO", "2", "SIGINTT",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CU_ASSERT_EQUAL(sf_signal_number(bad[i]), -1);
	CU_ASSERT_EQUAL(sf_signal_number(NULL), -1);
}

static void test_names__signal_names_written(void)
{
	char buf[16];

	CU_ASSERT_STRING_EQUAL(sf_signal_name(SIGINT, buf, sizeof buf), "SIGINT");
	CU_ASSERT_STRING_EQUAL(sf_signal_name(SIGRTMIN, buf, sizeof buf), "SIGRTMIN");
	CU_ASSERT_STRING_EQUAL(sf_signal_name(SIGRTMIN + 2, buf, sizeof buf), "SIGRTMIN+2");
	CU_ASSERT_STRING_EQUAL(sf_signal_name(SIGRTMAX, buf, sizeof buf), "SIGRTMAX");
}

static void test_names__signal_table_edges(void)
{
	char buf[16];

	CU_ASSERT_PTR_NULL(sf_signal_name(0, buf, sizeof buf));
	CU_ASSERT_PTR_NULL(sf_signal_name(-1, buf, sizeof buf));
	CU_ASSERT_PTR_NULL(sf_signal_name(SIGRTMAX + 1, buf, sizeof buf));
	CU_ASSERT_PTR_NULL(sf_signal_name(INT_MAX, buf, sizeof buf));
	CU_ASSERT_PTR_NOT_NULL(sf_signal_name(1, buf, sizeof buf));
	/* Too small a buffer is refused, not truncated. */
	CU_ASSERT_PTR_NULL(sf_signal_name(SIGRTMIN + 2, buf, 8));
	CU_ASSERT_PTR_NULL(sf_signal_name(SIGINT, buf, 0));
}

static void test_names__every_signal_name_round_trips(void)
{
	char buf[16];

	for (int signo = 1; signo <= SIGRTMAX; signo++) {
		const char *name = sf_signal_name(signo, buf, sizeof buf);
		if (name)
			CU_ASSERT_EQUAL(sf_signal_number(name), signo);
	}
}

/* ---- Suggestions -------------------------------------------------------- */

/* A list of words as scenario and -e keys are offered to sf_suggest_word(). */
static const char *suggest_key(const char *word)
{
	static const char *const keys[] = { "when", "error", "retval", "signal", "syscall",
					    "delay_enter", "delay_exit", NULL };
	return sf_suggest_word(word, keys);
}

static const char *suggest_option(const char *word)
{
	static const struct option options[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 1 },
		{ "timeout", required_argument, NULL, 2 },
		{ "engine", required_argument, NULL, 3 },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	return sf_cli_suggest_option(word, options);
}

/* One rule for every kind of name: NULL in WANT means "no suggestion". */
static const struct {
	const char *kind;
	const char *(*suggest)(const char *word);
	const char *word;
	const char *want;
} suggestions[] = {
	{ "syscall", sf_suggest_syscall, "wirte", "write" },          /* a swap is one edit */
	{ "syscall", sf_suggest_syscall, "opnat", "openat" },
	{ "syscall", sf_suggest_syscall, "WRITE", "write" },          /* case is no edit */
	{ "syscall", sf_suggest_syscall, "clse", "close" },
	{ "syscall", sf_suggest_syscall, "qqqqqqqqqq", NULL },
	{ "syscall", sf_suggest_syscall, "", NULL },
	{ "syscall", sf_suggest_syscall, NULL, NULL },
	{ "errno", sf_suggest_errno, "ENOENTT", "ENOENT" },
	{ "errno", sf_suggest_errno, "ENOSCP", "ENOSPC" },
	{ "errno", sf_suggest_errno, "enoent", "ENOENT" },
	{ "errno", sf_suggest_errno, "qqqqqqqqqq", NULL },
	{ "signal", sf_suggest_signal, "SIGUSR", "SIGUSR1" },
	{ "signal", sf_suggest_signal, "SIGTREM", "SIGTERM" },
	{ "signal", sf_suggest_signal, "RTMNI", "SIGRTMIN" },
	{ "signal", sf_suggest_signal, "qqqqqqqqqq", NULL },
	{ "class", sf_suggest_class, "%fle", "%file" },
	{ "class", sf_suggest_class, "%netwrok", "%network" },
	{ "class", sf_suggest_class, "qqqqqqqqqq", NULL },
	{ "key", suggest_key, "eror", "error" },
	{ "key", suggest_key, "ERROR", "error" },
	{ "key", suggest_key, "delay_entr", "delay_enter" },
	{ "key", suggest_key, "retvla", "retval" },
	{ "key", suggest_key, "frobnicate", NULL },
	{ "key", suggest_key, "", NULL },
	{ "option", suggest_option, "--timout", "timeout" },
	{ "option", suggest_option, "--timout=5s", "timeout" },
	{ "option", suggest_option, "--sede", "seed" },
	{ "option", suggest_option, "--scenaro", "scenario" },
	{ "option", suggest_option, "--frobnicate", NULL },
	{ "option", suggest_option, "--timeout", NULL },               /* nothing to correct */
	{ "option", suggest_option, "-t", NULL },                      /* not a long option */
};

static void test_names__suggestions_for_every_kind_of_name(void)
{
	for (size_t i = 0; i < sizeof suggestions / sizeof suggestions[0]; i++) {
		const char *got = suggestions[i].suggest(suggestions[i].word);
		const char *want = suggestions[i].want;

		if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0)) {
			char msg[256];
			snprintf(msg, sizeof msg, "%s \"%s\": got %s, want %s", suggestions[i].kind,
				 suggestions[i].word ? suggestions[i].word : "(null)",
				 got ? got : "none", want ? want : "none");
			fail_with(msg, __LINE__);
		}
	}
}

static void test_names__long_words_get_no_suggestion(void)
{
	char word[200];

	memset(word, 'w', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	CU_ASSERT_PTR_NULL(sf_suggest_syscall(word));
	CU_ASSERT_PTR_NULL(suggest_key(word));
}

/* The closeness limit is a third of the word, at least 1: 1 edit in "eror", 3 in "delay_entr". */
static void test_names__suggestion_limit_grows_with_the_word(void)
{
	static const char *const words[] = { "abcdef", NULL };

	CU_ASSERT_STRING_EQUAL(sf_suggest_word("abcdxx", words), "abcdef");  /* 2 of 6 */
	CU_ASSERT_PTR_NULL(sf_suggest_word("abcxxx", words));                /* 3 of 6 */
	CU_ASSERT_STRING_EQUAL(sf_suggest_word("abxdef", words), "abcdef");  /* 1 of 6 */
	CU_ASSERT_STRING_EQUAL(sf_suggest_word("abcdfe", words), "abcdef");  /* a swap: 1 */
	CU_ASSERT_PTR_NULL(sf_suggest_word("ab", words));                    /* 4 of 2 */
}

/* On a tie the first word offered wins, so tables list the likeliest first. */
static void test_names__suggestion_ties_go_to_the_first(void)
{
	static const char *const words[] = { "read", "reap", NULL };

	CU_ASSERT_STRING_EQUAL(sf_suggest_word("rea", words), "read");
}

/* ---- Registration ------------------------------------------------------- */

#define ADD(t) CU_add_test(suite, #t, t)

void sf_test_register_names(void);
void sf_test_register_names(void)
{
	CU_pSuite suite = CU_add_suite("unit_names", NULL, NULL);

	if (!suite)
		return;
	ADD(test_names__write_on_every_abi);
	ADD(test_names__openat_on_every_abi);
	ADD(test_names__x32_numbers_exclude_the_x32_bit);
	ADD(test_names__name_missing_on_an_abi_is_not_found);
	ADD(test_names__syscall_names_are_case_sensitive);
	ADD(test_names__syscall_table_edges);
	ADD(test_names__x32_highest_numbers_are_in_range);
	ADD(test_names__every_syscall_number_round_trips);
	ADD(test_names__abi_names_and_designators);
	ADD(test_names__abi_from_audit_arch);
	ADD(test_names__openat_is_in_file_on_every_abi);
	ADD(test_names__read_is_in_desc_not_file);
	ADD(test_names__getpid_is_pure);
	ADD(test_names__mask_needs_every_class);
	ADD(test_names__legacy_class_names_equal_percent_ones);
	ADD(test_names__net_equals_network);
	ADD(test_names__all_matches_every_number);
	ADD(test_names__unknown_class_is_not_found);
	ADD(test_names__class_of_a_number_out_of_range_is_false);
	ADD(test_names__every_classes_in_name_resolves);
	ADD(test_names__class_members_are_sorted_for_bsearch);
	ADD(test_names__every_class_has_a_member);
	ADD(test_names__errno_both_ways);
	ADD(test_names__errno_names_ignore_case);
	ADD(test_names__unknown_errno_name_is_minus_one);
	ADD(test_names__errno_table_edges);
	ADD(test_names__every_errno_name_round_trips);
	ADD(test_names__classic_signal_spellings);
	ADD(test_names__signal_aliases_glibc_does_not_name);
	ADD(test_names__realtime_signal_spellings);
	ADD(test_names__realtime_signal_range_edges);
	ADD(test_names__malformed_signal_names);
	ADD(test_names__signal_names_written);
	ADD(test_names__signal_table_edges);
	ADD(test_names__every_signal_name_round_trips);
	ADD(test_names__suggestions_for_every_kind_of_name);
	ADD(test_names__long_words_get_no_suggestion);
	ADD(test_names__suggestion_limit_grows_with_the_word);
	ADD(test_names__suggestion_ties_go_to_the_first);
}
