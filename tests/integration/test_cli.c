/*
 * integ_cli: what sysfault says and refuses.  Bad input (spec, scenario,
 * options) exits 125 with exactly one line on stderr and never runs the
 * command; summaries (text, json, none) and the --log file have the
 * documented shape; `check` and `list` print what they promise; nothing
 * before the command's own execve is counted.  (Which ABI a call is
 * taken for: integ_abi.)
 */
#include "harness.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define T 20.0

/* ---- bad input: 125, one line, the command not run ---- */

/* Runs sysfault with ARGS then `-- die touch PROOF`; checks the refusal. */

static void test_cli__unknown_errno_in_a_spec_is_refused(void)
{
	REFUSED("sysfault: -e 'openat:error=ENOENTT': unknown errno \"ENOENTT\"; did you mean \"ENOENT\"?",
		"run", "-e", "openat:error=ENOENTT");
}

static void test_cli__unknown_syscall_in_a_spec_is_refused(void)
{
	REFUSED("sysfault: -e 'wirte:error=EIO': ", "run", "-e", "wirte:error=EIO");
}

static void test_cli__malformed_when_in_a_spec_is_refused(void)
{
	REFUSED("sysfault: -e 'getppid:error=EIO:when=0': ", "run", "-e", "getppid:error=EIO:when=0");
	REFUSED("sysfault: -e 'getppid:error=EIO:when=2..1': ", "run", "-e", "getppid:error=EIO:when=2..1");
	REFUSED("sysfault: -e 'getppid:error=EIO:when=x': ", "run", "-e", "getppid:error=EIO:when=x");
}

static void test_cli__spec_without_action_is_refused(void)
{
	REFUSED("sysfault: -e 'getppid': ", "run", "-e", "getppid");
	REFUSED("sysfault: -e 'getppid:bogus=1': ", "run", "-e", "getppid:bogus=1");
}

static void test_cli__a_good_spec_after_a_bad_one_does_not_save_it(void)
{
	REFUSED("sysfault: -e 'getppid:error=EIOO': ", "run", "-e", "getppid:error=EIOO",
		"-e", "getppid:error=EIO");
}

static void test_cli__unknown_syscall_in_a_scenario_names_file_and_line(void)
{
	const char *cfg = sf_test_tmpfile("typo.cfg",
		"name = \"typo\";\n"
		"rules = (\n"
		"  {\n"
		"    syscalls = \"wirte\";\n"
		"    error = \"ENOSPC\";\n"
		"  }\n"
		");\n");
	char start[600];
	snprintf(start, sizeof(start), "%s:4: unknown syscall \"wirte\"; did you mean \"write\"?", cfg);
	REFUSED(start, "run", "-s", cfg);
}

static void test_cli__unknown_key_in_a_scenario_is_refused(void)
{
	const char *cfg = sf_test_tmpfile("key.cfg",
		"rules = (\n"
		"  { syscalls = \"write\";\n"
		"    eror = \"ENOSPC\"; }\n"
		");\n");
	char start[600];
	snprintf(start, sizeof(start), "%s:3: ", cfg);
	REFUSED(start, "run", "-s", cfg);
}

static void test_cli__scenario_syntax_error_is_refused_with_its_line(void)
{
	const char *cfg = sf_test_tmpfile("syntax.cfg",
		"rules = (\n"
		"  { syscalls = \"write\"; error = = \"ENOSPC\"; }\n"
		");\n");
	char start[600];
	snprintf(start, sizeof(start), "%s:2: ", cfg);
	REFUSED(start, "run", "-s", cfg);
}

static void test_cli__bad_values_in_a_scenario_are_refused(void)
{
	static const char *bodies[] = {
		"rules = ( { syscalls = \"write\"; error = \"ENOSPCC\"; } );\n",
		"rules = ( { syscalls = \"write\"; error = \"EIO\"; probability = 1.5; } );\n",
		"rules = ( { syscalls = \"write\"; error = \"EIO\"; limit = 0; } );\n",
		"rules = ( { syscalls = \"write\"; error = \"EIO\"; when = \"0\"; } );\n",
		"rules = ( { syscalls = \"write\"; delay_enter = \"10 parsecs\"; } );\n",
		"rules = ( { syscalls = \"write\"; signal = \"SIGFOO\"; } );\n",
		"rules = ( { syscalls = \"write\"; } );\n",
		"scope = \"galaxy\";\nrules = ( { syscalls = \"write\"; error = \"EIO\"; } );\n",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		const char *cfg = sf_test_tmpfile("bad-value.cfg", bodies[i]);
		char start[600];
		snprintf(start, sizeof(start), "%s:", cfg);
		REFUSED(start, "run", "-s", cfg);
	}
}

static void test_cli__missing_scenario_file_is_refused(void)
{
	REFUSED("", "run", "-s", "/nonexistent/sf-missing.cfg");
}

static void test_cli__unknown_option_is_refused(void)
{
	REFUSED("sysfault: ", "run", "--no-such-option", "-e", "getppid:error=EIO");
}

static void test_cli__bad_option_values_are_refused(void)
{
	REFUSED("sysfault: ", "run", "--summary", "xml", "-e", "getppid:error=EIO");
	REFUSED("sysfault: ", "run", "--timeout", "soon", "-e", "getppid:error=EIO");
	REFUSED("sysfault: ", "run", "--seed", "abc", "-e", "getppid:error=EIO");
	REFUSED("sysfault: ", "run", "--engine", "magic", "-e", "getppid:error=EIO");
}

static void test_cli__usage_errors_point_to_help(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "frobnicate", NULL);
	SF_ASSERT_PROC(p.status == 125, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1 && strstr(p.err, "see 'sysfault --help'"), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:error=EIO", NULL);
	SF_ASSERT_PROC(p.status == 125, &p);   /* no command */
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1 && strstr(p.err, "see 'sysfault --help'"), &p);
	sf_proc_release(&p);
}

static void test_cli__help_and_version_succeed(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "--help", NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.out, "run") && strstr(p.out, "--scenario"), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "--version", NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.out, "sysfault"), &p);
	sf_proc_release(&p);
}

/* ---- summaries ---- */

static void test_cli__text_summary_shows_seed_and_each_rule(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--seed", "5", "-e", "getppid:error=EIO:when=2",
		     "--", sf_test_target("calls"), "getppid", "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: seed 5"), &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 1 -e 'getppid:error=EIO:when=2': matched 3, injected 1"), &p);
	sf_proc_release(&p);
}

static void test_cli__text_summary_of_an_unnamed_scenario_rule(void)
{
	const char *cfg = sf_test_tmpfile("unnamed.cfg",
		"rules = ( { syscalls = \"getppid\"; error = \"EIO\"; when = \"1\"; } );\n");
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", cfg, "--",
		     sf_test_target("calls"), "getppid", "2", NULL);
	char line[700];
	snprintf(line, sizeof(line), "sysfault: rule 1 (%s:1): matched 2, injected 1", cfg);
	if (!sf_has_line(p.err, line))
		fprintf(stderr, "\n--- expected the line: %s\n", line);
	SF_ASSERT_PROC(sf_has_line(p.err, line), &p);
	sf_proc_release(&p);
}

static void test_cli__quiet_keeps_the_summary(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-q", "-e", "getppid:error=EIO:when=2",
		     "--", sf_test_target("calls"), "getppid", "3", NULL);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 1 -e 'getppid:error=EIO:when=2': matched 3, injected 1"), &p);
	sf_proc_release(&p);
}

static void test_cli__json_summary_is_one_valid_object(void)
{
	struct sf_proc p;
	const char *cfg = sf_test_tmpfile("json.cfg",
		"rules = ( { name = \"eio\"; syscalls = \"getppid\"; error = \"EIO\"; when = \"2+\"; } );\n");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json", "--seed", "42", "-s", cfg,
		     "--", sf_test_target("forker"), "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(sf_json_valid(p.err, strlen(p.err)), &p);
	char origin[600];
	snprintf(origin, sizeof(origin), "\"origin\":\"%s:1\"", cfg);
	SF_ASSERT_PROC(strstr(p.err, "\"seed\":42") != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, "\"exit_status\":0") != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, "\"processes\":2") != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, "\"injections\":4") != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, "\"rules\":[{\"rule\":1,\"name\":\"eio\"") != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, origin) != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, "\"matched\":6,\"injected\":4") != NULL, &p);
	sf_proc_release(&p);
}

static void test_cli__json_summary_reports_death_by_signal(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json", "-e", "getppid:error=EIO",
		     "--", sf_test_target("die"), "signal", "SEGV", NULL);
	SF_ASSERT_PROC(p.status == 139, &p);
	SF_ASSERT_PROC(sf_json_valid(p.err, strlen(p.err)), &p);
	SF_ASSERT_PROC(strstr(p.err, "\"exit_status\":139") != NULL, &p);
	sf_proc_release(&p);
}

/* With --summary none, stderr belongs to the command, byte for byte. */
static void test_cli__summary_none_leaves_stderr_to_the_command(void)
{
	struct sf_proc native, traced;
	sf_proc_runl(&native, T, sf_test_target("die"), "stderr", "the command's own words", NULL);
	sf_proc_runl(&traced, T, sf_test_sysfault(), "run", "--summary", "none",
		     "-e", "getppid:error=EIO", "--",
		     sf_test_target("die"), "stderr", "the command's own words", NULL);
	SF_ASSERT_PROC(traced.status == 0, &traced);
	SF_ASSERT_PROC(!strcmp(native.err, traced.err), &traced);
	SF_ASSERT_PROC(!strcmp(native.out, traced.out), &traced);
	sf_proc_release(&native);
	sf_proc_release(&traced);
}

/* ---- --log ---- */

static void test_cli__log_has_one_valid_json_object_per_line(void)
{
	const char *log = sf_test_tmpfile("run.log", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--seed", "3", "--log", log,
		     "-e", "getppid:error=EIO:when=2", "--", sf_test_target("forker"), "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	char *text = sf_read_file(log);
	CU_ASSERT_FATAL(text != NULL);
	unsigned failures_before = CU_get_number_of_failures();
	int lines = 0, valid = 0;
	for (char *s = text; *s;) {
		char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		lines++;
		valid += sf_json_valid(s, len);
		if (!sf_json_valid(s, len))
			fprintf(stderr, "\n--- not JSON: %.*s\n", (int)len, s);
		s += len + (e != NULL);
	}
	CU_ASSERT(lines >= 6);
	CU_ASSERT_EQUAL(valid, lines);
	/* documented events: two processes start, one exec, two injections
	 * (one per process), two exits, one end */
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"start\""), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"exec\""), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"inject\""), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"exit\""), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"end\""), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"syscall\":\"getppid\""), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"occurrence\":2"), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"error\":\"EIO\""), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"rule\":1"), 2);
	CU_ASSERT(strstr(text, "forker\"") != NULL);   /* the exec path */
	const char *last = strstr(text, "{\"event\":\"end\"");
	CU_ASSERT(last && strstr(last, "\"exit_status\":0") && strstr(last, "\"seed\":3"));
	CU_ASSERT(last && !strchr(last, '\n')[1]);     /* end is the last line */
	if (CU_get_number_of_failures() > failures_before)
		fprintf(stderr, "\n--- log:\n%s", text);
	free(text);
	sf_proc_release(&p);
}

static void test_cli__log_records_other_actions(void)
{
	const char *log = sf_test_tmpfile("actions.log", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--log", log,
		     "-e", "getppid:retval=7:when=1", "-e", "getppid:signal=SIGUSR1:when=2",
		     "-e", "getppid:delay_enter=1ms:when=3", "--", sf_test_target("sig"), "3", NULL);
	char *text = sf_read_file(log);
	CU_ASSERT_FATAL(text != NULL);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"retval\":7"), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"signal\":\"SIGUSR1\""), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"delay_enter_us\":1000"), 1);
	free(text);
	sf_proc_release(&p);
}

/* ---- nothing before the command's own execve ---- */

static void test_cli__initial_execve_is_never_failed(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "execve:error=ENOENT", "--",
		     sf_test_target("calls"), "getppid", "1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok");
	sf_proc_release(&p);
}

static void test_cli__first_counted_execve_is_the_command_s_own_child(void)
{
	/* tree scope: were the initial execve counted, the child's would be 2nd */
	const char *cfg = sf_test_tmpfile("exec-tree.cfg",
		"scope = \"tree\";\n"
		"rules = ( { syscalls = \"execve\"; error = \"ENOENT\"; when = \"1\"; } );\n");
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", cfg, "--",
		     sf_test_target("forker"), "1", sf_test_target("calls"), "getppid", "1", NULL);
	SF_ASSERT_PROC(sf_has_line(p.out, "child exec ret=-1 errno=ENOENT"), &p);
	sf_proc_release(&p);
}

static void test_cli__counting_starts_at_the_command(void)
{
	/* sysfault's own child calls getpid/kill to stop itself before exec:
	 * that must not use up when=1 */
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getpid:retval=42:when=1", "--",
		     sf_test_target("calls"), "getpid", "2", NULL);
	char v[32];
	SF_ASSERT_PROC(sf_line_kv(p.out, "getpid 1", "ret", v, sizeof(v)) && !strcmp(v, "42"), &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "getpid 2", "ret", v, sizeof(v)) && strcmp(v, "42"), &p);
	sf_proc_release(&p);
}

static void test_cli__first_injection_comes_after_the_exec(void)
{
	/* when=1 on close: sysfault's own child may close descriptors before
	 * it execs; the one close failed must be the command's (the dynamic
	 * loader's, which ignores it), logged after the exec event. */
	const char *log = sf_test_tmpfile("close.log", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--log", log, "-e", "close:error=EBADF:when=1",
		     "--", sf_test_target("calls"), "getppid", "1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok");
	char *text = sf_read_file(log);
	CU_ASSERT_FATAL(text != NULL);
	const char *exec = strstr(text, "\"event\":\"exec\"");
	const char *inject = strstr(text, "\"event\":\"inject\"");
	CU_ASSERT(exec && inject && exec < inject);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"inject\""), 1);
	CU_ASSERT(inject && strstr(inject, "\"syscall\":\"close\""));
	free(text);
	sf_proc_release(&p);
}

/* ---- check and list ---- */

static void test_cli__check_accepts_every_shipped_scenario(void)
{
	DIR *d = opendir(sf_test_srcpath("scenarios"));
	CU_ASSERT_FATAL(d != NULL);
	int files = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".cfg"))
			continue;
		char rel[512];
		snprintf(rel, sizeof(rel), "scenarios/%s", e->d_name);
		struct sf_proc p;
		sf_proc_runl(&p, T, sf_test_sysfault(), "check", sf_test_srcpath(rel), NULL);
		if (p.status)
			fprintf(stderr, "\n--- sysfault check %s\n", rel);
		SF_ASSERT_PROC(p.status == 0, &p);
		SF_ASSERT_PROC(sf_count_lines(p.out) >= 1, &p);
		sf_proc_release(&p);
		files++;
	}
	closedir(d);
	CU_ASSERT(files >= 6);
}

static void test_cli__check_prints_the_rules_as_understood(void)
{
	const char *cfg = sf_test_tmpfile("understood.cfg",
		"rules = ( { name = \"enospc\"; syscalls = [\"write\", \"pwrite64\"]; error = \"ENOSPC\"; when = \"3+\"; } );\n");
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "check", cfg, NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(strstr(p.out, "enospc") && strstr(p.out, "ENOSPC") && strstr(p.out, "write")
		       && strstr(p.out, "pwrite64") && strstr(p.out, "3+"), &p);
	sf_proc_release(&p);
}

static void test_cli__check_refuses_a_bad_scenario(void)
{
	const char *cfg = sf_test_tmpfile("check-bad.cfg",
		"rules = ( { syscalls = \"wirte\"; error = \"EIO\"; } );\n");
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "check", cfg, NULL);
	SF_ASSERT_PROC(p.status == 125, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1 && strstr(p.err, "did you mean \"write\"?"), &p);
	sf_proc_release(&p);
}

/* ---- inputs that once hung, grew or ate memory: 125, one line, at once ---- */

/* glibc's regcomp on stacked repetitions reached 24 GB; now a bounded child refuses it. */
static void test_cli__costly_regex_is_refused_in_milliseconds(void)
{
	const char *cfg = sf_test_tmpfile("regex20.cfg",
		"rules = ( { syscalls = \"/^getp++++++++++++++++++++\"; error = \"EIO\"; } );\n");
	struct sf_proc p;

	REFUSED("sysfault: -e '/^getp++++++++++++++++++++++++++++++:error=EIO': regular expression ",
		"run", "-e", "/^getp++++++++++++++++++++++++++++++:error=EIO");
	sf_proc_runl(&p, 10, sf_test_sysfault(), "run", "-e", "/^getp++++++++++++++++++++++++++++++:error=EIO",
		     "--", "true", NULL);
	SF_ASSERT_PROC(p.status == 125 && !p.timed_out && p.seconds < 1.0, &p);
	SF_ASSERT_PROC(strstr(p.err, "is too costly") != NULL, &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, 10, sf_test_sysfault(), "check", cfg, NULL);
	SF_ASSERT_PROC(p.status == 125 && !p.timed_out && p.seconds < 1.0, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1 && strstr(p.err, ":1: regular expression "), &p);
	sf_proc_release(&p);
}

/* check, -s, merge and --resume: a FIFO, a device or /proc/self/mem is one line, never a hang. */
static void test_cli__non_regular_inputs_are_refused_without_blocking(void)
{
	const char *fifo = sf_test_tmpfile("input.fifo", NULL);
	const char *const inputs[] = { fifo, "/dev/zero", "/proc/self/mem", "/tmp" };
	char start[600];

	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		const char *const cmds[][4] = {
			{ "check", inputs[i], NULL }, { "merge", inputs[i], NULL },
			{ "run", "-s", inputs[i], NULL },
			{ "explore", "--resume", inputs[i], NULL },
		};
		for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
			struct sf_proc p;
			sf_proc_runl(&p, 5, sf_test_sysfault(), cmds[c][0], cmds[c][1], cmds[c][2],
				     cmds[c][2] ? "--" : NULL, "true", NULL);
			snprintf(start, sizeof(start), "%s: ", inputs[i]);
			SF_ASSERT_PROC(!p.timed_out && p.status == 125, &p);
			SF_ASSERT_PROC(sf_count_lines(p.err) == 1 && !strncmp(p.err, start, strlen(start)), &p);
			sf_proc_release(&p);
		}
	}
	REFUSED("", "run", "-s", "/dev/zero");
}

/* A newline or an escape in user text cannot forge a line or reach the terminal. */
static void test_cli__control_characters_are_made_visible(void)
{
	const char *cfg = sf_test_tmpfile("forge.cfg",
		"name = \"x\\nsysfault: forged\";\n"
		"rules = ( { name = \"a\\nsysfault: rule 9 \\x1b[31m\"; syscalls = \"getppid\"; error = \"EIO\"; } );\n");
	struct sf_proc p;

	REFUSED("sysfault: -e 'getppid\\n:error=EIO': unknown syscall \"getppid\\n\"", "run", "-e",
		"getppid\n:error=EIO");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", cfg, "--", "true", NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines(p.err) == 2, &p);
	SF_ASSERT_PROC(strstr(p.err, "rule 1 \"a\\nsysfault: rule 9 \\x1b[31m\" (") != NULL, &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "check", cfg, NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_has_line(p.out, "name: x\\nsysfault: forged"), &p);
	SF_ASSERT_PROC(strstr(p.out, "\x1b") == NULL && !sf_count_prefix(p.out, "sysfault:"), &p);
	sf_proc_release(&p);
}

/* A point's rule must be one of the rules given. */
static void test_cli__point_of_a_rule_not_given_is_refused(void)
{
	REFUSED("sysfault: --point '1/0:getppid:1:r2': there is no rule 2; 1 rule is given",
		"run", "--point", "1/0:getppid:1:r2", "-e", "getppid:error=EIO");
}

/* Whether a line of TEXT is ENTRY, or ENTRY followed by a blank and more
 * (list classes shows each class with its members). */
static int lists(const char *text, const char *entry)
{
	char with_blank[128];
	snprintf(with_blank, sizeof(with_blank), "%s ", entry);
	return sf_has_line(text, entry) || sf_count_prefix(text, with_blank) > 0;
}

static void assert_listed(const char *kind, const char *const entries[])
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "list", kind, NULL);
	CU_ASSERT_EQUAL(p.status, 0);
	CU_ASSERT(sf_count_lines(p.out) >= 5);
	for (int i = 0; entries[i]; i++) {
		int found = lists(p.out, entries[i]);
		if (!found)
			fprintf(stderr, "\n--- sysfault list %s: no entry \"%s\"\n", kind, entries[i]);
		CU_ASSERT(found);
	}
	sf_proc_release(&p);
}

static void test_cli__list_syscalls(void)
{
	assert_listed("syscalls", (const char *const[]){"openat", "write", "getppid", "execve", NULL});
}

static void test_cli__list_errnos(void)
{
	assert_listed("errnos", (const char *const[]){"ENOENT", "ENOSPC", "EINTR", "EIO", NULL});
}

static void test_cli__list_signals(void)
{
	assert_listed("signals", (const char *const[]){"SIGUSR1", "SIGTERM", "SIGKILL", NULL});
}

static void test_cli__list_classes(void)
{
	/* strace's classes, spelled as a scenario uses them */
	assert_listed("classes", (const char *const[]){"%file", "%desc", "%net", "%process", NULL});
}

static void test_cli__list_unknown_kind_is_refused(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "list", "planets", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	sf_proc_release(&p);
}

void sf_test_register_integ_cli(void)
{
	CU_pSuite s = CU_add_suite("integ_cli", NULL, NULL);
	CU_add_test(s, "unknown errno in a spec is refused", test_cli__unknown_errno_in_a_spec_is_refused);
	CU_add_test(s, "unknown syscall in a spec is refused", test_cli__unknown_syscall_in_a_spec_is_refused);
	CU_add_test(s, "malformed when= is refused", test_cli__malformed_when_in_a_spec_is_refused);
	CU_add_test(s, "spec without action is refused", test_cli__spec_without_action_is_refused);
	CU_add_test(s, "a good spec does not save a bad one", test_cli__a_good_spec_after_a_bad_one_does_not_save_it);
	CU_add_test(s, "unknown syscall in a scenario: file:line", test_cli__unknown_syscall_in_a_scenario_names_file_and_line);
	CU_add_test(s, "unknown key in a scenario is refused", test_cli__unknown_key_in_a_scenario_is_refused);
	CU_add_test(s, "scenario syntax error is refused", test_cli__scenario_syntax_error_is_refused_with_its_line);
	CU_add_test(s, "bad values in a scenario are refused", test_cli__bad_values_in_a_scenario_are_refused);
	CU_add_test(s, "missing scenario file is refused", test_cli__missing_scenario_file_is_refused);
	CU_add_test(s, "unknown option is refused", test_cli__unknown_option_is_refused);
	CU_add_test(s, "bad option values are refused", test_cli__bad_option_values_are_refused);
	CU_add_test(s, "usage errors point to --help", test_cli__usage_errors_point_to_help);
	CU_add_test(s, "--help and --version succeed", test_cli__help_and_version_succeed);
	CU_add_test(s, "text summary: seed and each rule", test_cli__text_summary_shows_seed_and_each_rule);
	CU_add_test(s, "text summary of an unnamed scenario rule", test_cli__text_summary_of_an_unnamed_scenario_rule);
	CU_add_test(s, "-q keeps the summary", test_cli__quiet_keeps_the_summary);
	CU_add_test(s, "json summary is one valid object", test_cli__json_summary_is_one_valid_object);
	CU_add_test(s, "json summary reports death by signal", test_cli__json_summary_reports_death_by_signal);
	CU_add_test(s, "--summary none leaves stderr to the command", test_cli__summary_none_leaves_stderr_to_the_command);
	CU_add_test(s, "--log: one valid JSON object per line", test_cli__log_has_one_valid_json_object_per_line);
	CU_add_test(s, "--log records other actions", test_cli__log_records_other_actions);
	CU_add_test(s, "initial execve is never failed", test_cli__initial_execve_is_never_failed);
	CU_add_test(s, "first counted execve is the child's", test_cli__first_counted_execve_is_the_command_s_own_child);
	CU_add_test(s, "counting starts at the command", test_cli__counting_starts_at_the_command);
	CU_add_test(s, "first injection comes after the exec", test_cli__first_injection_comes_after_the_exec);
	CU_add_test(s, "check accepts every shipped scenario", test_cli__check_accepts_every_shipped_scenario);
	CU_add_test(s, "check prints the rules as understood", test_cli__check_prints_the_rules_as_understood);
	CU_add_test(s, "check refuses a bad scenario", test_cli__check_refuses_a_bad_scenario);
	CU_add_test(s, "costly regex is refused in milliseconds", test_cli__costly_regex_is_refused_in_milliseconds);
	CU_add_test(s, "non-regular inputs are refused without blocking",
		    test_cli__non_regular_inputs_are_refused_without_blocking);
	CU_add_test(s, "control characters are made visible", test_cli__control_characters_are_made_visible);
	CU_add_test(s, "point of a rule not given is refused", test_cli__point_of_a_rule_not_given_is_refused);
	CU_add_test(s, "list syscalls", test_cli__list_syscalls);
	CU_add_test(s, "list errnos", test_cli__list_errnos);
	CU_add_test(s, "list signals", test_cli__list_signals);
	CU_add_test(s, "list classes", test_cli__list_classes);
	CU_add_test(s, "list of an unknown kind is refused", test_cli__list_unknown_kind_is_refused);
}
