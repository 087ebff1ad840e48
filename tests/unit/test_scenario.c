/*
 * unit_scenario: scenario files (README.md "Scenario files") and -e specs
 * through the public API.  Every error is checked as the exact line a user
 * sees, "FILE:LINE: what is wrong; what would be right", caught with
 * sf_diag_set_sink().  Fixtures: tests/fixtures/scenario-*.cfg.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "rules/scenario.h"
#include "rules/sysset.h"

static char lines[8][1024];
static enum sf_diag_kind kinds[8];
static unsigned nlines;

static void capture(enum sf_diag_kind kind, const char *line, void *arg)
{
	if (nlines < 8) {
		snprintf(lines[nlines], sizeof(lines[0]), "%s", line);
		kinds[nlines] = kind;
	}
	nlines++;
}

static void capture_start(void)
{
	nlines = 0;
	memset(lines, 0, sizeof(lines));
	sf_diag_set_sink(capture, NULL);
}

static const char *fixture(const char *name)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s", sf_test_srcpath(name));
	return path;
}

/* Loads one fixture into SC; returns what load_file returned. */
static int load(struct sf_scenario *sc, const char *name)
{
	capture_start();
	int rc = sf_scenario_load_file(sc, fixture(name));
	sf_diag_set_sink(NULL, NULL);
	return rc;
}

static bool has(const struct sf_rule *r, enum sf_abi abi, const char *name)
{
	int nr = sf_syscall_number(abi, name);
	return nr >= 0 && sf_sysset_has(&r->set, abi, (unsigned)nr);
}

/* ---- A file with every setting ------------------------------------------ */

static struct sf_scenario *load_full(void)
{
	struct sf_scenario *sc = sf_scenario_new();

	CU_ASSERT_EQUAL(load(sc, "tests/fixtures/scenario-full.cfg"), 0);
	if (nlines)
		fprintf(stderr, "\nunexpected: %s\n", lines[0]);
	CU_ASSERT_EQUAL(nlines, 0);
	return sc;
}

static void test_scenario__full_file_loads(void)
{
	struct sf_scenario *sc = load_full();
	uint64_t seed = 0;

	CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 5);
	CU_ASSERT(sf_scenario_seed(sc, &seed));
	CU_ASSERT_EQUAL(seed, 42);
	CU_ASSERT_STRING_EQUAL(sc->name, "disk fills up");
	sf_scenario_free(sc);
}

static void test_scenario__rule_origin_is_file_and_line(void)
{
	struct sf_scenario *sc = load_full();
	char want[4200];

	if (sf_scenario_rule_count(sc) == 5) {
		snprintf(want, sizeof(want), "%s:6", fixture("tests/fixtures/scenario-full.cfg"));
		CU_ASSERT_STRING_EQUAL(sc->rules.v[0]->origin, want);
		snprintf(want, sizeof(want), "%s:32", fixture("tests/fixtures/scenario-full.cfg"));
		CU_ASSERT_STRING_EQUAL(sc->rules.v[4]->origin, want);
	}
	sf_scenario_free(sc);
}

static void test_scenario__name_syscalls_error_when(void)
{
	struct sf_scenario *sc = load_full();

	if (sf_scenario_rule_count(sc) == 5) {
		const struct sf_rule *r = sc->rules.v[0];
		CU_ASSERT_STRING_EQUAL(r->name, "enospc");
		CU_ASSERT(has(r, SF_ABI_X86_64, "write"));
		CU_ASSERT(has(r, SF_ABI_X86_64, "pwrite64"));
		CU_ASSERT(has(r, SF_ABI_X86_64, "writev"));
		CU_ASSERT(!has(r, SF_ABI_X86_64, "read"));
		CU_ASSERT_EQUAL(r->action.flags, SF_ACT_ERROR);
		CU_ASSERT_EQUAL(r->action.error, ENOSPC);
		CU_ASSERT_EQUAL(r->when.first, 3);
		CU_ASSERT_EQUAL(r->when.step, 0);
		CU_ASSERT_EQUAL(r->scope, SF_SCOPE_PROCESS);
	}
	sf_scenario_free(sc);
}

static void test_scenario__probability_and_limit(void)
{
	struct sf_scenario *sc = load_full();

	if (sf_scenario_rule_count(sc) == 5) {
		CU_ASSERT_DOUBLE_EQUAL(sc->rules.v[1]->probability, 0.05, 1e-12);
		CU_ASSERT_EQUAL(sc->rules.v[1]->limit, 10);
		CU_ASSERT_EQUAL(sc->rules.v[0]->probability, 1.0);
		CU_ASSERT_EQUAL(sc->rules.v[0]->limit, 0);
		CU_ASSERT_EQUAL(sc->rules.v[2]->probability, 1.0);   /* int 1 */
		CU_ASSERT_EQUAL(sc->rules.v[4]->limit, UINT64_C(5000000000));
	}
	sf_scenario_free(sc);
}

static void test_scenario__list_of_classes_numbers_regex(void)
{
	struct sf_scenario *sc = load_full();

	if (sf_scenario_rule_count(sc) == 5) {
		const struct sf_rule *r = sc->rules.v[2];
		CU_ASSERT(has(r, SF_ABI_X86_64, "openat"));     /* %file */
		CU_ASSERT(sf_sysset_has(&r->set, SF_ABI_X86_64, 39));  /* number */
		CU_ASSERT(has(r, SF_ABI_X86_64, "getppid"));    /* /regex */
		CU_ASSERT(!has(r, SF_ABI_X86_64, "read"));
	}
	sf_scenario_free(sc);
}

static void test_scenario__retval_and_delays(void)
{
	struct sf_scenario *sc = load_full();

	if (sf_scenario_rule_count(sc) == 5) {
		const struct sf_rule *r = sc->rules.v[2];
		CU_ASSERT_EQUAL(r->action.flags,
				SF_ACT_RETVAL | SF_ACT_DELAY_ENTER | SF_ACT_DELAY_EXIT);
		CU_ASSERT_EQUAL(r->action.retval, 0);
		CU_ASSERT_EQUAL(r->action.delay_enter_ns, 10000000);
		CU_ASSERT_EQUAL(r->action.delay_exit_ns, 250000);   /* bare int: us */
		CU_ASSERT_EQUAL(r->when.first, 2);                  /* int when */
	}
	sf_scenario_free(sc);
}

static void test_scenario__substitute_signal_string_retval(void)
{
	struct sf_scenario *sc = load_full();

	if (sf_scenario_rule_count(sc) == 5) {
		const struct sf_rule *r = sc->rules.v[3];
		CU_ASSERT(r->action.flags & SF_ACT_SYSCALL);
		CU_ASSERT_EQUAL(r->action.substitute_nr[SF_ABI_X86_64],
				sf_syscall_number(SF_ABI_X86_64, "getpid"));
		CU_ASSERT_EQUAL(r->action.retval, 16);
		CU_ASSERT_EQUAL(r->action.signo, SIGUSR1);
	}
	sf_scenario_free(sc);
}

static void test_scenario__negated_string_and_int_values(void)
{
	struct sf_scenario *sc = load_full();

	if (sf_scenario_rule_count(sc) == 5) {
		const struct sf_rule *r = sc->rules.v[4];
		CU_ASSERT(!has(r, SF_ABI_X86_64, "write"));
		CU_ASSERT(has(r, SF_ABI_X86_64, "read"));
		CU_ASSERT_EQUAL(r->action.error, EACCES);      /* error = 13 */
		CU_ASSERT_EQUAL(r->action.signo, SIGUSR2);     /* signal = 12 */
		CU_ASSERT_EQUAL(r->when.last, 6);
		CU_ASSERT_EQUAL(r->when.step, 2);
	}
	sf_scenario_free(sc);
}

static void test_scenario__default_scope_is_thread(void)
{
	struct sf_scenario *sc = sf_scenario_new();

	CU_ASSERT_EQUAL(load(sc, "tests/fixtures/scenario-seed7.cfg"), 0);
	if (sf_scenario_rule_count(sc) == 1)
		CU_ASSERT_EQUAL(sc->rules.v[0]->scope, SF_SCOPE_THREAD);
	sf_scenario_free(sc);
}

static void test_scenario__first_seed_and_name_win(void)
{
	struct sf_scenario *sc = load_full();
	uint64_t seed = 0;
	char want[4300];

	CU_ASSERT_EQUAL(load(sc, "tests/fixtures/scenario-seed7.cfg"), 0);
	CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 6);
	CU_ASSERT(sf_scenario_seed(sc, &seed));
	CU_ASSERT_EQUAL(seed, 42);
	CU_ASSERT_STRING_EQUAL(sc->name, "disk fills up");
	CU_ASSERT_EQUAL(nlines, 1);
	/* the sink gets the bare line; only the default sink adds "sysfault: warning: " */
	snprintf(want, sizeof(want), "%s:3: seed 7 ignored; "
		 "an earlier scenario set seed 42", fixture("tests/fixtures/scenario-seed7.cfg"));
	CU_ASSERT_STRING_EQUAL(lines[0], want);
	CU_ASSERT_EQUAL(kinds[0], SF_DIAG_WARNING);
	sf_scenario_free(sc);
}

static void test_scenario__file_without_rules(void)
{
	struct sf_scenario *sc = sf_scenario_new();
	uint64_t seed = 0;

	CU_ASSERT_EQUAL(load(sc, "tests/fixtures/scenario-norules.cfg"), 0);
	CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 0);
	CU_ASSERT(sf_scenario_seed(sc, &seed));
	CU_ASSERT_EQUAL(seed, 9);
	sf_scenario_free(sc);
}

/* ---- Errors: one line each, FILE:LINE first ----------------------------- */

static const struct { const char *file; unsigned line; const char *msg; } bad_files[] = {
	{ "syntax", 3, "syntax error" },
	{ "array", 4, "mismatched element type in array" },
	{ "syscall", 4, "unknown syscall \"wirte\"; did you mean \"write\"?" },
	{ "rule-key", 5, "unknown setting \"eror\"; did you mean \"error\"?" },
	{ "top-key", 2, "unknown setting \"sed\"; did you mean \"seed\"?" },
	{ "no-action", 3, "rule has no action; add error, retval, signal, delay_enter, delay_exit, short, poke_enter or poke_exit" },
	{ "errno", 5, "unknown errno \"ENOSPCC\"; did you mean \"ENOSPC\"?" },
	{ "probability", 6, "probability 0 is out of range; use a number in (0, 1], e.g. 0.05" },
	{ "probability-big", 6, "probability 1.5 is out of range; use a number in (0, 1], e.g. 0.05" },
	{ "limit", 6, "limit 0 is out of range; use a whole number >= 1" },
	{ "when", 6, "when=0: the first call must be 1..65535; use N, N+, N+S, N..M or N..M+S "
		     "(1 <= N <= M <= 65534, 1 <= S <= 65535)" },
	{ "negated", 5, "\"!write\" in a list cannot exclude the other entries; "
			"write syscalls = \"!write\"; alone, or use a separate rule" },
	{ "scope", 2, "unknown scope \"threads\"; did you mean \"thread\"?" },
	{ "seed", 2, "seed must be a whole number >= 0, e.g. seed = 42;" },
	{ "error-retval", 6, "error and retval together; a call either fails or returns a value" },
	{ "no-syscalls", 3, "rule has no syscalls; add e.g. syscalls = \"write\";" },
	{ "not-group", 2, "each rule is a group in braces, e.g. { syscalls = \"write\"; error = \"EIO\"; }" },
	{ "rules-type", 2, "rules must be a list of groups, e.g. rules = ( { ... } );" },
	{ "signal", 5, "unknown signal \"SIGUSR3\"; did you mean \"SIGUSR1\"?" },
	{ "delay", 5, "bad unit in duration \"10 ms\"; write a number with ns, us, ms, s, m or h, "
		      "e.g. 10ms (a bare number is microseconds)" },
	{ "pure", 5, "syscall=openat must be a %pure syscall such as getpid" },
	{ "type", 5, "error must be an errno name or number, e.g. error = \"ENOSPC\";" },
	{ "scope-in-rule", 6, "scope is set for the whole file; move it to the top level" },
	{ "regex", 4, "regular expression \"/^zzz\" matches no syscall on any ABI" },
	{ "call", 6, "call needs error or retval; with only signal or delays the call runs anyway" },
	{ "call-syscall", 7, "call and syscall together; syscall already runs another call instead, keep one" },
	{ "call-value", 6, "unknown call mode \"later\"; use run (the call runs, then its result is "
			   "replaced) or skip (it never runs)" },
};

static void test_scenario__errors_are_one_line_with_file_and_line(void)
{
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		struct sf_scenario *sc = sf_scenario_new();
		char rel[256], want[4600];

		snprintf(rel, sizeof(rel), "tests/fixtures/scenario-bad-%s.cfg", bad_files[i].file);
		CU_ASSERT_EQUAL(load(sc, rel), -EINVAL);
		snprintf(want, sizeof(want), "%s:%u: %s", fixture(rel), bad_files[i].line,
			 bad_files[i].msg);
		CU_ASSERT_EQUAL(nlines, 1);
		if (strcmp(lines[0], want) != 0)
			fprintf(stderr, "\n got: %s\nwant: %s\n", lines[0], want);
		CU_ASSERT_STRING_EQUAL(lines[0], want);
		/* A file with a mistake adds nothing. */
		CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 0);
		CU_ASSERT(!sf_scenario_seed(sc, &(uint64_t){ 0 }));
		sf_scenario_free(sc);
	}
}

static void test_scenario__missing_file(void)
{
	struct sf_scenario *sc = sf_scenario_new();
	char want[4200];

	CU_ASSERT_EQUAL(load(sc, "tests/fixtures/no-such-file.cfg"), -ENOENT);
	snprintf(want, sizeof(want), "%s: cannot read: No such file or directory",
		 fixture("tests/fixtures/no-such-file.cfg"));
	CU_ASSERT_EQUAL(nlines, 1);
	CU_ASSERT_STRING_EQUAL(lines[0], want);
	CU_ASSERT_EQUAL(load(sc, "tests/fixtures"), -EISDIR);
	CU_ASSERT_PTR_NOT_NULL(strstr(lines[0], ": cannot read: Is a directory"));
	sf_scenario_free(sc);
}

/* Misspelt keys and values get suggest.h's "did you mean"; far-off ones get the list. */
static const struct { const char *body; const char *msg; } misspelt[] = {
	{ "rules = ( { syscalls = \"write\"; errror = \"EIO\"; } );",
	  "unknown setting \"errror\"; did you mean \"error\"?" },
	{ "rules = ( { syscalls = \"write\"; delay_entr = \"1ms\"; } );",
	  "unknown setting \"delay_entr\"; did you mean \"delay_enter\"?" },
	{ "rules = ( { syscalls = \"write\"; error = \"EIO\"; probabilty = 0.5; } );",
	  "unknown setting \"probabilty\"; did you mean \"probability\"?" },
	{ "rules = ( { sycalls = \"write\"; error = \"EIO\"; } );",
	  "unknown setting \"sycalls\"; did you mean \"syscalls\"?" },
	{ "rulse = ( );", "unknown setting \"rulse\"; did you mean \"rules\"?" },
	{ "scope = \"proces\";", "unknown scope \"proces\"; did you mean \"process\"?" },
	{ "rules = ( { syscalls = \"write\"; error = \"EIO\"; frobnicate = 1; } );",
	  "unknown setting \"frobnicate\"; use name, syscalls, " },
	{ "frobnicate = 1;", "unknown setting \"frobnicate\"; use " },
	{ "scope = \"galaxy\";", "scope must be \"thread\", \"process\" or \"tree\"" },
	{ "rules = ( { syscalls = \"write\"; delay_enter = \"5 parsecs\"; } );",
	  "bad unit in duration \"5 parsecs\"; write a number with ns, us, ms, s, m or h, "
	  "e.g. 10ms (a bare number is microseconds)" },
	{ "rules = ( { syscalls = \"write\"; delay_exit = -5; } );",
	  "negative duration \"-5\"; write a number with ns, us, ms, s, m or h, "
	  "e.g. 10ms (a bare number is microseconds)" },
	{ "rules = ( { syscalls = \"close\"; error = \"EIO\"; cal = \"run\"; } );",
	  "unknown setting \"cal\"; did you mean \"call\"?" },
	{ "rules = ( { syscalls = \"close\"; error = \"EIO\"; call = \"skp\"; } );",
	  "unknown call mode \"skp\"; did you mean \"skip\"?" },
	{ "rules = ( { syscalls = \"close\"; error = \"EIO\"; call = true; } );",
	  "call must be \"run\" or \"skip\", e.g. call = \"run\";" },
};

static void test_scenario__misspelt_names_get_one_line_with_a_suggestion(void)
{
	for (size_t i = 0; i < sizeof(misspelt) / sizeof(misspelt[0]); i++) {
		const char *path = sf_test_tmpfile("misspelt.cfg", misspelt[i].body);
		struct sf_scenario *sc = sf_scenario_new();
		char want[1024];

		capture_start();
		CU_ASSERT_EQUAL(sf_scenario_load_file(sc, path), -EINVAL);
		sf_diag_set_sink(NULL, NULL);
		snprintf(want, sizeof(want), "%s:1: %s", path, misspelt[i].msg);
		CU_ASSERT_EQUAL(nlines, 1);
		if (strncmp(lines[0], want, strlen(want)) != 0)
			fprintf(stderr, "\n got: %s\nwant: %s...\n", lines[0], want);
		CU_ASSERT_NSTRING_EQUAL(lines[0], want, strlen(want));
		if (!strstr(misspelt[i].msg, "did you mean"))
			CU_ASSERT_PTR_NULL(strstr(lines[0], "did you mean"));
		sf_scenario_free(sc);
	}
}

/* ---- Integers libconfig 1.5 would wrap ---------------------------------- */

#define WRAP(lit, read) "integer " lit " is out of range for libconfig without a suffix " \
	"(it would read " read "); write " lit "L for a 64-bit integer"
#define RULE(keys) "rules = ( { syscalls = \"getpid\"; error = \"EIO\"; " keys " } );"

/* Every integer key: without L, libconfig 1.5 keeps 32 bits (atoi), so the literal is read again. */
static const struct { const char *body; const char *msg; } out_of_range[] = {
	{ RULE("when = 4294967297;"), WRAP("4294967297", "1") },
	{ RULE("when = -4294967297;"), WRAP("-4294967297", "-1") },
	{ "rules = ( { syscalls = [ 4294967297 ]; error = \"EIO\"; } );", WRAP("4294967297", "1") },
	{ "rules = ( { syscalls = \"getpid\"; error = 4294967301; } );", WRAP("4294967301", "5") },
	{ "rules = ( { syscalls = \"getpid\"; error = 0x100000005; } );", WRAP("0x100000005", "5") },
	{ "rules = ( { syscalls = \"getpid\"; retval = 4294967296; } );", WRAP("4294967296", "0") },
	{ "rules = ( { syscalls = \"getpid\"; signal = 4294967306; } );", WRAP("4294967306", "10") },
	{ RULE("limit = 9999999999999;"), WRAP("9999999999999", "1316134911") },
	{ RULE("probability = 4294967297;"), WRAP("4294967297", "1") },
	{ RULE("delay_enter = 4294967297;"), WRAP("4294967297", "1") },
	{ "seed = 4294967338;", WRAP("4294967338", "42") },
	{ "seed = 0xFFFFFFFF;", WRAP("0xFFFFFFFF", "-1") },
	{ "seed = 99999999999999999999;",
	  "integer 99999999999999999999 does not fit in 64 bits; the most is 9223372036854775807" },
	{ "seed = 99999999999999999999L;",
	  "integer 99999999999999999999L does not fit in 64 bits; the most is 9223372036854775807" },
	{ "seed = 0x1FFFFFFFFFFFFFFFFL;",
	  "integer 0x1FFFFFFFFFFFFFFFFL does not fit in 64 bits; the most is 9223372036854775807" },
	/* with L, each key's own range */
	{ RULE("when = 4294967297L;"), "when=4294967297: the first call must be 1..65535; " },
	{ "rules = ( { syscalls = \"getpid\"; error = 4294967301L; } );",
	  "errno 4294967301 is out of range; use 1..4095" },
	{ "rules = ( { syscalls = [ 4294967297L ]; error = \"EIO\"; } );",
	  "syscall number 4294967297 is no syscall on any ABI; the highest known is" },
};

static void test_scenario__integers_beyond_32_bits_are_refused_not_wrapped(void)
{
	for (size_t i = 0; i < sizeof(out_of_range) / sizeof(out_of_range[0]); i++) {
		const char *path = sf_test_tmpfile("range.cfg", out_of_range[i].body);
		struct sf_scenario *sc = sf_scenario_new();
		char want[1024];

		capture_start();
		CU_ASSERT_EQUAL(sf_scenario_load_file(sc, path), -EINVAL);
		sf_diag_set_sink(NULL, NULL);
		snprintf(want, sizeof(want), "%s:1: %s", path, out_of_range[i].msg);
		CU_ASSERT_EQUAL(nlines, 1);
		if (strncmp(lines[0], want, strlen(want)) != 0)
			fprintf(stderr, "\n got: %s\nwant: %s\n", lines[0], want);
		CU_ASSERT_NSTRING_EQUAL(lines[0], want, strlen(want));
		sf_scenario_free(sc);
	}
}

/* What fits is read as written; literals in strings and comments are text. */
static void test_scenario__integers_that_fit_are_kept(void)
{
	const char *path = sf_test_tmpfile("fits.cfg",
		"name = \"4294967297 bytes\"; # seed = 4294967297\n"
		"/* limit = 4294967297\n */ seed = 9223372036854775807L;\n"
		"rules = ( { syscalls = ( 39, \"getppid\" ); error = 0x5; when = 2; limit = 9999999999999L;\n"
		"            probability = 1.5e-1; delay_enter = 2147483647; } );\n");
	struct sf_scenario *sc = sf_scenario_new();
	uint64_t seed = 0;

	capture_start();
	int rc = sf_scenario_load_file(sc, path);
	sf_diag_set_sink(NULL, NULL);
	if (rc != 0)
		fprintf(stderr, "\n%s\n", lines[0]);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT(sf_scenario_seed(sc, &seed) && seed == INT64_MAX);
	CU_ASSERT_EQUAL(sc->rules.v[0]->limit, 9999999999999ull);
	CU_ASSERT_EQUAL(sc->rules.v[0]->action.error, 5);
	CU_ASSERT_EQUAL(sc->rules.v[0]->action.delay_enter_ns, 2147483647000ull);
	sf_scenario_free(sc);
}

/* ---- What is read: the file and its includes ---------------------------- */

/* DIR/NAME with CONTENT, DIR made first; returns the path (static). */
static const char *write_in(const char *dir, const char *name, const char *content)
{
	static char path[8][1024];
	static unsigned next;
	char *p = path[next++ % 8];

	mkdir(dir, 0700);
	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(content, f);
	fclose(f);
	return p;
}

static int load_path(struct sf_scenario *sc, const char *path)
{
	capture_start();
	int rc = sf_scenario_load_file(sc, path);
	sf_diag_set_sink(NULL, NULL);
	return rc;
}

/* @include is relative to the including file, and errors name the included file and its line. */
static void test_scenario__include_is_relative_to_the_including_file(void)
{
	char top[1024], sub[1100], want[2400];

	snprintf(top, sizeof(top), "%s", sf_test_tmpfile("inc", NULL));
	snprintf(sub, sizeof(sub), "%s/sub", top);
	mkdir(top, 0700);
	write_in(sub, "b.cfg", "name = \"from b\";\n");
	write_in(sub, "a.cfg", "seed = 3;\n  @include \"b.cfg\" // the next one\n");
	const char *main_cfg = write_in(top, "main.cfg", "# top\n@include \"sub/a.cfg\"\n"
					"rules = ( { syscalls = \"getpid\"; error = \"EIO\"; } );\n");
	struct sf_scenario *sc = sf_scenario_new();
	CU_ASSERT_EQUAL(load_path(sc, main_cfg), 0);
	CU_ASSERT_STRING_EQUAL(sf_scenario_name(sc), "from b");
	CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 1);
	snprintf(want, sizeof(want), "%s:3", main_cfg);
	if (sf_scenario_rule_count(sc) == 1)
		CU_ASSERT_STRING_EQUAL(sc->rules.v[0]->origin, want);   /* lines after an include stay right */
	sf_scenario_free(sc);

	/* an error in an included file: its own name and line */
	write_in(sub, "b.cfg", "name = \"b\";\n\nscope = \"galaxy\";\n");
	sc = sf_scenario_new();
	CU_ASSERT_EQUAL(load_path(sc, main_cfg), -EINVAL);
	snprintf(want, sizeof(want), "%s/b.cfg:3: scope must be", sub);
	CU_ASSERT_NSTRING_EQUAL(lines[0], want, strlen(want));
	write_in(sub, "b.cfg", "name = \"b\";\nscope = ;\n");
	CU_ASSERT_EQUAL(load_path(sc, main_cfg), -EINVAL);
	snprintf(want, sizeof(want), "%s/b.cfg:2: syntax error", sub);
	CU_ASSERT_STRING_EQUAL(lines[0], want);

	/* a missing include is named, resolved */
	write_in(sub, "a.cfg", "seed = 3;\n@include \"nope.cfg\"\n");
	CU_ASSERT_EQUAL(load_path(sc, main_cfg), -EINVAL);
	snprintf(want, sizeof(want), "%s/a.cfg:2: @include \"%s/nope.cfg\": cannot read: "
		 "No such file or directory", sub, sub);
	CU_ASSERT_STRING_EQUAL(lines[0], want);
	CU_ASSERT_EQUAL(nlines, 1);

	/* a file that includes itself stops at libconfig's depth */
	write_in(sub, "a.cfg", "@include \"a.cfg\"\n");
	CU_ASSERT_EQUAL(load_path(sc, main_cfg), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(lines[0], "nested more than 10 deep"));
	CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 0);
	sf_scenario_free(sc);
}

/* At most 16 MiB, read as text (a NUL byte would end config_read_string's text early). */
static void test_scenario__size_is_capped_and_text_is_text(void)
{
	const char *path = sf_test_tmpfile("big.cfg", NULL);
	FILE *f = fopen(path, "w");
	char chunk[65536], want[1200];

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	memset(chunk, ' ', sizeof(chunk));
	for (int i = 0; i < 257; i++)
		fwrite(chunk, 1, sizeof(chunk), f);
	fclose(f);
	struct sf_scenario *sc = sf_scenario_new();
	CU_ASSERT_EQUAL(load_path(sc, path), -EFBIG);
	snprintf(want, sizeof(want), "%s: larger than 16 MiB, the most a scenario may be", path);
	CU_ASSERT_STRING_EQUAL(lines[0], want);

	path = sf_test_tmpfile("nul.cfg", NULL);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fwrite("seed = 1;\n\0rules = 5;\n", 1, 23, f);
	fclose(f);
	CU_ASSERT_EQUAL(load_path(sc, path), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: a NUL byte; a scenario is text", path);
	CU_ASSERT_STRING_EQUAL(lines[0], want);
	sf_scenario_free(sc);
}

/* ---- -e specs ------------------------------------------------------------ */

static void test_scenario__spec_rule_and_origin(void)
{
	struct sf_scenario *sc = sf_scenario_new();

	capture_start();
	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "openat:error=ENOENT:when=3", "-e"), 0);
	sf_diag_set_sink(NULL, NULL);
	CU_ASSERT_EQUAL(nlines, 0);
	CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 1);
	if (sf_scenario_rule_count(sc) == 1) {
		CU_ASSERT_STRING_EQUAL(sc->rules.v[0]->origin, "-e 'openat:error=ENOENT:when=3'");
		CU_ASSERT_PTR_NULL(sc->rules.v[0]->name);
	}
	sf_scenario_free(sc);
}

static void test_scenario__spec_error_line(void)
{
	struct sf_scenario *sc = sf_scenario_new();

	capture_start();
	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "openat:error=ENOENTT", "-e"), -EINVAL);
	sf_diag_set_sink(NULL, NULL);
	CU_ASSERT_EQUAL(nlines, 1);
	CU_ASSERT_STRING_EQUAL(lines[0], "-e 'openat:error=ENOENTT': "
			       "unknown errno \"ENOENTT\"; did you mean \"ENOENT\"?");
	CU_ASSERT_EQUAL(kinds[0], SF_DIAG_ERROR);
	CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 0);
	sf_scenario_free(sc);
}

static void test_scenario__files_and_specs_keep_order(void)
{
	struct sf_scenario *sc = sf_scenario_new();

	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "fault=chdir", "-e"), 0);
	CU_ASSERT_EQUAL(load(sc, "tests/fixtures/scenario-seed7.cfg"), 0);
	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "read:retval=0", "-e"), 0);
	CU_ASSERT_EQUAL(sf_scenario_rule_count(sc), 3);
	if (sf_scenario_rule_count(sc) == 3) {
		CU_ASSERT_STRING_EQUAL(sc->rules.v[0]->origin, "-e 'fault=chdir'");
		CU_ASSERT_PTR_NOT_NULL(strstr(sc->rules.v[1]->origin, "scenario-seed7.cfg:4"));
		CU_ASSERT_STRING_EQUAL(sc->rules.v[2]->origin, "-e 'read:retval=0'");
	}
	sf_scenario_free(sc);
}

/* ---- sysfault check ------------------------------------------------------ */

static void test_scenario__print_is_readable(void)
{
	struct sf_scenario *sc = load_full();
	char *text = NULL, want[4300];
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	sf_scenario_print(sc, out);
	fclose(out);
	snprintf(want, sizeof(want), "rule 1 \"enospc\" (%s:6)",
		 fixture("tests/fixtures/scenario-full.cfg"));
	CU_ASSERT(sf_has_line(text, want));
	CU_ASSERT(sf_has_line(text, "name: disk fills up"));
	CU_ASSERT(sf_has_line(text, "seed: 42"));
	CU_ASSERT(sf_has_line(text, "  syscalls x86_64: write,pwrite64,writev"));
	CU_ASSERT(sf_has_line(text, "  action: error=ENOSPC"));
	CU_ASSERT(sf_has_line(text, "  when: 3"));
	CU_ASSERT(sf_has_line(text, "  when: 2..6+2"));
	CU_ASSERT(sf_has_line(text, "  probability: 0.05"));
	CU_ASSERT(sf_has_line(text, "  limit: 10"));
	CU_ASSERT(sf_has_line(text, "  scope: process"));
	CU_ASSERT(sf_has_line(text, "  action: retval=0 delay_enter=10ms delay_exit=250us"));
	CU_ASSERT(sf_has_line(text, "  action: retval=16 signal=SIGUSR1 syscall=getpid"));
	CU_ASSERT(sf_has_line(text, "  syscalls x86_64: all except write"));
	CU_ASSERT(sf_has_line(text, "  action: error=EACCES signal=SIGUSR2 call=skip"));
	CU_ASSERT_EQUAL(sf_count_prefix(text, "rule "), 5);
	free(text);
	sf_scenario_free(sc);
}

/* check says which calls run before their result is replaced: all, close only, or none. */
static void test_scenario__print_shows_whether_the_call_runs(void)
{
	struct sf_scenario *sc = sf_scenario_new();
	char *text = NULL;
	size_t len = 0;

	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "close:error=EIO", "-e"), 0);
	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "read,close:error=EBADF", "-e"), 0);
	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "fsync:retval=0:call=run", "-e"), 0);
	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "close:error=EIO:call=skip", "-e"), 0);
	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "write:error=EIO", "-e"), 0);
	FILE *out = open_memstream(&text, &len);
	sf_scenario_print(sc, out);
	fclose(out);
	CU_ASSERT(sf_has_line(text, "  action: error=EIO call=run"));
	CU_ASSERT(sf_has_line(text, "  action: error=EBADF call=run for close"));
	CU_ASSERT(sf_has_line(text, "  action: retval=0 call=run"));
	CU_ASSERT(sf_has_line(text, "  action: error=EIO call=skip"));
	CU_ASSERT(sf_has_line(text, "  action: error=EIO"));
	free(text);
	sf_scenario_free(sc);
}

void sf_test_register_scenario(void);
void sf_test_register_scenario(void)
{
	CU_pSuite s = CU_add_suite("unit_scenario", NULL, NULL);

	CU_add_test(s, "full_file_loads", test_scenario__full_file_loads);
	CU_add_test(s, "rule_origin_is_file_and_line", test_scenario__rule_origin_is_file_and_line);
	CU_add_test(s, "name_syscalls_error_when", test_scenario__name_syscalls_error_when);
	CU_add_test(s, "probability_and_limit", test_scenario__probability_and_limit);
	CU_add_test(s, "list_of_classes_numbers_regex", test_scenario__list_of_classes_numbers_regex);
	CU_add_test(s, "retval_and_delays", test_scenario__retval_and_delays);
	CU_add_test(s, "substitute_signal_string_retval", test_scenario__substitute_signal_string_retval);
	CU_add_test(s, "negated_string_and_int_values", test_scenario__negated_string_and_int_values);
	CU_add_test(s, "default_scope_is_thread", test_scenario__default_scope_is_thread);
	CU_add_test(s, "first_seed_and_name_win", test_scenario__first_seed_and_name_win);
	CU_add_test(s, "file_without_rules", test_scenario__file_without_rules);
	CU_add_test(s, "errors_are_one_line_with_file_and_line",
		    test_scenario__errors_are_one_line_with_file_and_line);
	CU_add_test(s, "missing_file", test_scenario__missing_file);
	CU_add_test(s, "misspelt_names_get_one_line_with_a_suggestion",
		    test_scenario__misspelt_names_get_one_line_with_a_suggestion);
	CU_add_test(s, "integers_beyond_32_bits_are_refused_not_wrapped",
		    test_scenario__integers_beyond_32_bits_are_refused_not_wrapped);
	CU_add_test(s, "integers_that_fit_are_kept", test_scenario__integers_that_fit_are_kept);
	CU_add_test(s, "include_is_relative_to_the_including_file",
		    test_scenario__include_is_relative_to_the_including_file);
	CU_add_test(s, "size_is_capped_and_text_is_text", test_scenario__size_is_capped_and_text_is_text);
	CU_add_test(s, "spec_rule_and_origin", test_scenario__spec_rule_and_origin);
	CU_add_test(s, "spec_error_line", test_scenario__spec_error_line);
	CU_add_test(s, "files_and_specs_keep_order", test_scenario__files_and_specs_keep_order);
	CU_add_test(s, "print_is_readable", test_scenario__print_is_readable);
	CU_add_test(s, "print_shows_whether_the_call_runs", test_scenario__print_shows_whether_the_call_runs);
}
