/*
 * integ_outputs: every machine-readable output stays valid whatever bytes
 * the command's name, paths and stderr hold (a copy of buggy named with
 * byte 0xff, in a directory named with 0xff, 0x01 and XML's specials):
 * real parsers (python3's json, xmllint) accept the log, the summary and
 * explore's reports; each names its format; the log's inject line names
 * the failure point; merge refuses numbers out of range in one line.
 */
#include "harness.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define T 60.0
#define FFFD "\xef\xbf\xbd"

/* The odd-named command and its files, made once. */
struct odd {
	char dir[512], exe[600], cfg[600], in[600], out[600];
};

static bool copy_file(const char *from, const char *to, mode_t mode)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;
	bool is_ok = in && out;

	while (is_ok && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		is_ok = fwrite(buf, 1, n, out) == n;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		is_ok = false;
	return is_ok && chmod(to, mode) == 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static const struct odd *odd(void)
{
	static struct odd o;

	if (o.exe[0])
		return &o;
	snprintf(o.dir, sizeof(o.dir), "%s", sf_test_tmpfile("bytes\xff\x01<&>'\"", NULL));
	CU_ASSERT_FATAL(mkdir(o.dir, 0700) == 0);
	snprintf(o.exe, sizeof(o.exe), "%s/bug\xffgy", o.dir);
	snprintf(o.cfg, sizeof(o.cfg), "%s/cfg", o.dir);
	snprintf(o.in, sizeof(o.in), "%s/in\xfe", o.dir);
	snprintf(o.out, sizeof(o.out), "%s/out", o.dir);
	CU_ASSERT_FATAL(copy_file(sf_test_target("buggy"), o.exe, 0755));
	write_text(o.cfg, "4096\n");
	write_text(o.in, "hello\n");
	return &o;
}

/* One explore campaign of the odd command, run once: its reports and its stderr. */
struct campaign {
	char json[512], junit[512];
	char *err;
	int status;
};

static const struct campaign *explored(void)
{
	static struct campaign c;
	const struct odd *o = odd();
	struct sf_proc p;

	if (c.err)
		return &c;
	snprintf(c.json, sizeof(c.json), "%s", sf_test_tmpfile("odd.json", NULL));
	snprintf(c.junit, sizeof(c.junit), "%s", sf_test_tmpfile("odd.xml", NULL));
	/* failure too: the clean failures' stderr tails (with the odd path) then reach the JUnit report */
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-q", "-j", "2", "--seed", "5",
		     "--fail-on", "crash,failure", "-e", "openat:error=ENOENT", "-e", "write:error=EIO",
		     "--json", c.json, "--junit", c.junit, "--", o->exe, o->cfg, o->in, o->out, NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	c.status = p.status;
	c.err = strdup(p.err);
	sf_proc_release(&p);
	return &c;
}

/* Whether TEXT has no byte 0xff or 0xfe: what is not UTF-8 was replaced. */
static bool has_no_raw_bytes(const char *text)
{
	return !strchr(text, '\xff') && !strchr(text, '\xfe');
}

/* Runs TOOL ARGS... and asserts it exits 0 with nothing on stderr. */
#define ASSERT_TOOL_ACCEPTS(...) do { \
	struct sf_proc tool_; \
	sf_proc_runl(&tool_, T, __VA_ARGS__, NULL); \
	SF_ASSERT_PROC(tool_.status == 0 && !tool_.err[0], &tool_); \
	sf_proc_release(&tool_); } while (0)

/* ---- explore's reports ---- */

static void test_outputs__explore_json_of_an_odd_command_is_valid_json(void)
{
	const struct campaign *c = explored();
	char *text = sf_read_file(c->json);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	ASSERT_TOOL_ACCEPTS("python3", "-m", "json.tool", c->json);
	CU_ASSERT(has_no_raw_bytes(text));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"format\":\"sysfault-explore/1\",\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "bug" FFFD "gy"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "/in" FFFD ": No such file"));   /* a stderr tail */
	free(text);
}

static void test_outputs__explore_junit_of_an_odd_command_is_well_formed_xml(void)
{
	const struct campaign *c = explored();
	char *text = sf_read_file(c->junit);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	ASSERT_TOOL_ACCEPTS("xmllint", "--noout", c->junit);
	CU_ASSERT(has_no_raw_bytes(text));
	CU_ASSERT(!strchr(text, '\x01'));   /* XML 1.0 has no way to write it: U+FFFD */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "bytes" FFFD FFFD "&lt;&amp;&gt;&apos;&quot;/bug" FFFD "gy"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "--- stderr (last lines) ---\nbuggy: cannot open "));
	free(text);
}

/* The reproduction line quotes odd bytes as $'\xff', so bash gives the command its exact name. */
static void test_outputs__a_reproduction_line_of_an_odd_command_runs_in_bash(void)
{
	const struct campaign *c = explored();
	const char *at = strstr(c->err, "sysfault: crash: SIGSEGV at ");
	const char *line = at ? strstr(at, "sysfault:   reproduce: ") : NULL;
	struct sf_proc r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	line += strlen("sysfault:   reproduce: ");
	char *cmd = strndup(line, strcspn(line, "\n"));
	CU_ASSERT(has_no_raw_bytes(cmd) && strstr(cmd, "bug\\xffgy'") != NULL);
	sf_proc_runl(&r, T, "bash", "-c", cmd, NULL);
	SF_ASSERT_PROC(r.status == 128 + 11 && strstr(r.err, "reached and injected"), &r);
	sf_proc_release(&r);
	free(cmd);
}

/* A real report with TEXT's first FIELD value in the points replaced by VALUE, merged. */
static void assert_merge_refuses(const char *field, const char *value, const char *why)
{
	char *text = sf_read_file(explored()->json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	char key[64];
	snprintf(key, sizeof(key), "\"%s\":", field);
	const char *points = strstr(text, "\"points\":[");
	char *at = points ? strstr(points, key) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at += strlen(key);
	size_t old = strcspn(at, ",}");
	char *bad = NULL;
	CU_ASSERT_FATAL(asprintf(&bad, "%.*s%s%s", (int)(at - text), text, value, at + old) > 0);
	const char *path = sf_test_tmpfile("bad-numbers.json", bad);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "merge", path, NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1 && strstr(p.err, why), &p);
	sf_proc_release(&p);
	free(bad);
	free(text);
}

static void test_outputs__merge_refuses_numbers_out_of_range_in_one_line(void)
{
	assert_merge_refuses("exit_status", "1e308",
			     ": field 'points[0].exit_status' is not an integer in range 0 to 255 (1e308)");
	assert_merge_refuses("index", "1e19", ": field 'points[0].index' is not an integer in range 1 to ");
	assert_merge_refuses("occurrence", "-1e19", ": field 'points[0].occurrence' is not an integer in range");
	assert_merge_refuses("thread", "1.0", ": field 'points[0].thread' is not an integer in range");
	assert_merge_refuses("index", "99999999999999999999", ": not JSON: ");
}

/* ---- run's log and summary ---- */

static char *run_log(const char *name, const char *point)
{
	const struct odd *o = odd();
	const char *log = sf_test_tmpfile(name, NULL);
	char path[512];
	struct sf_proc p;

	snprintf(path, sizeof(path), "%s", log);
	if (point)
		sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-q", "--seed", "5", "--log", path,
			     "-e", "openat:error=ENOENT", "-e", "write:error=EIO", "--point", point,
			     "--", o->exe, o->cfg, o->in, o->out, NULL);
	else
		sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-q", "--log", path,
			     "-e", "openat:error=ENOENT:when=3", "--", o->exe, o->cfg, o->in, o->out, NULL);
	sf_proc_release(&p);
	return strdup(path);
}

static void test_outputs__run_log_of_an_odd_command_is_valid_json_lines(void)
{
	char *path = run_log("odd.log", NULL);
	char *text = sf_read_file(path);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	ASSERT_TOOL_ACCEPTS("python3", "-m", "json.tool", "--json-lines", path);
	CU_ASSERT(has_no_raw_bytes(text));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"path\":\"") && strstr(text, "/bug" FFFD "gy\""));
	free(text);
	free(path);
}

static void test_outputs__json_summary_of_an_odd_rule_file_is_valid_json(void)
{
	const struct odd *o = odd();
	char cfg[700];
	struct sf_proc p;

	snprintf(cfg, sizeof(cfg), "%.500s/rules\xff.cfg", o->dir);
	write_text(cfg, "rules = ( { name = \"r\"; syscalls = \"getppid\"; error = \"EIO\"; } );\n");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-q", "--summary", "json", "-s", cfg,
		     "--", o->exe, o->cfg, o->in, o->out, NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines(p.err) == 1, &p);
	const char *path = sf_test_tmpfile("odd-summary.json", p.err);
	ASSERT_TOOL_ACCEPTS("python3", "-m", "json.tool", path);
	SF_ASSERT_PROC(has_no_raw_bytes(p.err) && strstr(p.err, "/rules" FFFD ".cfg:1\""), &p);
	sf_proc_release(&p);
}

/* ---- formats and names, shared by every output ---- */

static void test_outputs__every_json_output_names_its_format(void)
{
	char *log = run_log("format.log", NULL);
	char *text = sf_read_file(log);
	struct sf_proc p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	/* the first line, and only it: {"event":"log","time":T,"format":"sysfault-log/1"} */
	const char *suffix = ",\"format\":\"sysfault-log/1\"}\n", *end = strchr(text, '\n');
	CU_ASSERT(!strncmp(text, "{\"event\":\"log\",\"time\":", 22));
	CU_ASSERT(end && !strncmp(end + 1 - strlen(suffix), suffix, strlen(suffix)));
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"format\":"), 1);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json", "-e", "getppid:error=EIO",
		     "--", sf_test_target("die"), "exit", "0", NULL);
	SF_ASSERT_PROC(!strncmp(p.err, "{\"format\":\"sysfault-summary/1\",", 31), &p);
	sf_proc_release(&p);
	char *report = sf_read_file(explored()->json);
	CU_ASSERT(report && !strncmp(report, "{\"format\":\"sysfault-explore/1\",", 31));
	free(report);
	free(text);
	free(log);
}

/* The point explore names is the point the log's inject line names: one name for one call. */
static void test_outputs__the_inject_line_names_the_point_explore_ran(void)
{
	char *report = sf_read_file(explored()->json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(report);
	const char *at = strstr(report, "\n{\"index\":1,\"point\":\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at += strlen("\n{\"index\":1,\"point\":\"");
	char *point = strndup(at, strcspn(at, "\""));
	char *log = run_log("point.log", point), *text = sf_read_file(log);
	char want[300];

	snprintf(want, sizeof(want), "\"point\":\"%s\",", point);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"inject\""), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, want), 1);
	CU_ASSERT(text && strstr(strstr(text, "\"event\":\"inject\""), want) != NULL);
	free(text);
	free(log);
	free(point);
	free(report);
}

/* ---- registration: a test whose tool is missing is named as not run ---- */

static bool has_tool(const char *name)
{
	const char *path = getenv("PATH");
	char file[4096];

	for (const char *dir = path ? path : "/usr/bin:/bin"; *dir;) {
		size_t len = strcspn(dir, ":");
		snprintf(file, sizeof(file), "%.*s/%s", (int)len, dir, name);
		if (access(file, X_OK) == 0)
			return true;
		dir += len + (dir[len] == ':');
	}
	return false;
}

struct outputs_test {
	const char *name;
	void (*run)(void);
	const char *tool;        /* what it needs beyond sysfault, or NULL */
	bool runs_explore;       /* then it needs a machine where explore can isolate */
};

static const struct outputs_test tests[] = {
	{ "explore json of an odd command is valid json",
	  test_outputs__explore_json_of_an_odd_command_is_valid_json, "python3", true },
	{ "explore junit of an odd command is well-formed xml",
	  test_outputs__explore_junit_of_an_odd_command_is_well_formed_xml, "xmllint", true },
	{ "a reproduction line of an odd command runs in bash",
	  test_outputs__a_reproduction_line_of_an_odd_command_runs_in_bash, "bash", true },
	{ "merge refuses numbers out of range in one line",
	  test_outputs__merge_refuses_numbers_out_of_range_in_one_line, NULL, true },
	{ "run log of an odd command is valid json lines",
	  test_outputs__run_log_of_an_odd_command_is_valid_json_lines, "python3", false },
	{ "json summary of an odd rule file is valid json",
	  test_outputs__json_summary_of_an_odd_rule_file_is_valid_json, "python3", false },
	{ "every json output names its format", test_outputs__every_json_output_names_its_format, NULL, true },
	{ "the inject line names the point explore ran",
	  test_outputs__the_inject_line_names_the_point_explore_ran, NULL, true },
};

void sf_test_register_integ_outputs(void)
{
	CU_pSuite s = CU_add_suite("integ_outputs", NULL, NULL);

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (tests[i].tool && !has_tool(tests[i].tool))
			fprintf(stderr, "integ_outputs: not run: %s (%s not found)\n", tests[i].name,
				tests[i].tool);
		else if (tests[i].runs_explore)
			sf_test_add_explore(s, tests[i].name, tests[i].run);
		else
			CU_add_test(s, tests[i].name, tests[i].run);
	}
}
