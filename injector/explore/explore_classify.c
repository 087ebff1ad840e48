/*
 * Classifying one point's run from the evidence it left: its JSON Lines log
 * (inject, exit and end events) and the command's stderr, compared with
 * what the clean run left.  Only reads files; never runs anything.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "explore/explore.h"
#include "explore/explore_json.h"
#include "report.h"
#include "rules/names.h"

#define TAIL_LINES 20
#define TAIL_BYTES 4096

/*
 * Signals whose default action is to dump core (signal(7), "Core"): in a
 * process other than the command's own they mean a fault, where SIGTERM,
 * SIGKILL or SIGPIPE there are usually a parent or a pipeline ending it.
 */
static const char *const core_signals[] = {
	"SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGSEGV",
	"SIGSYS", "SIGXCPU", "SIGXFSZ",
};

/* What the sanitizers print first (compiler-rt's report headers). */
static const char *const sanitizer_marks[] = {
	"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "WARNING: ThreadSanitizer",
	"ERROR: ThreadSanitizer", "ERROR: MemorySanitizer", "WARNING: MemorySanitizer",
	"SUMMARY: UndefinedBehaviorSanitizer", "runtime error:",
};

static bool is_core_signal(const char *name)
{
	for (size_t i = 0; i < sizeof(core_signals) / sizeof(core_signals[0]); i++)
		if (!strcmp(name, core_signals[i]))
			return true;
	return false;
}

/* What one run's log says. */
struct evidence {
	bool has_end, timed_out, is_injected, has_exec;
	int exit_status;
	long main_pid;
	char main_signal[24];
	bool main_core;
	unsigned crash_counts[65];  /* other processes killed by each core signal */
	bool crash_core[65];        /* ... and whether one of them dumped core */
};

static void on_exit_event(struct evidence *ev, struct sf_jread *r, const json_t *e)
{
	const char *sig = sf_jread_str_or_null(r, e, "signal");
	long pid = (long)sf_jread_int(r, e, "pid", 0, INT_MAX), tid = (long)sf_jread_int(r, e, "tid", 0, INT_MAX);
	bool is_core = sig && sf_jread_bool(r, e, "core");

	/* A killed process reports one exit per thread: count the process once, at its leader. */
	if (!sig || pid != tid || sf_jread_failed(r))
		return;
	if (pid == ev->main_pid) {
		snprintf(ev->main_signal, sizeof(ev->main_signal), "%s", sig);
		ev->main_core = is_core;
		return;
	}
	int signo = sf_signal_number(sig);
	if (!is_core_signal(sig) || signo < 1 || signo > 64)
		return;
	ev->crash_counts[signo]++;
	ev->crash_core[signo] |= is_core;
}

static void on_event(struct evidence *ev, struct sf_jread *r, const json_t *e)
{
	const char *event = sf_jread_str(r, e, "event");

	if (r->line == 1) {
		sf_jread_format(r, e, SF_LOG_FORMAT);
	} else if (!strcmp(event, "start") && ev->main_pid < 0) {
		ev->main_pid = (long)sf_jread_int(r, e, "pid", 0, INT_MAX);
	} else if (!strcmp(event, "exec")) {
		ev->has_exec = true;
	} else if (!strcmp(event, "inject")) {
		ev->is_injected = true;
	} else if (!strcmp(event, "exit")) {
		on_exit_event(ev, r, e);
	} else if (!strcmp(event, "end")) {
		ev->has_end = true;
		ev->exit_status = (int)sf_jread_int(r, e, "exit_status", 0, 255);
		ev->timed_out = sf_jread_bool(r, e, "timed_out");
	}
}

/*
 * A log that cannot be read is reported and read no further: what it
 * said up to there stands, and a run without its end line is classified
 * from its wait status (sf_classify).
 */
static bool read_log(const char *path, struct evidence *ev)
{
	struct sf_jread r = { .path = path };
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(ev, 0, sizeof(*ev));
	ev->main_pid = -1;
	if (!f)
		return false;
	while (!sf_jread_failed(&r) && (len = getline(&line, &cap, f)) > 0) {
		r.line++;
		json_t *e = sf_jread_parse(&r, line, (size_t)len);
		if (e)
			on_event(ev, &r, e);
		json_decref(e);
	}
	if (sf_jread_failed(&r)) {
		ev->has_end = false;
		sf_jread_report(&r);
	}
	free(line);
	fclose(f);
	return true;
}

static unsigned count_sanitizer_reports(const char *path)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	unsigned n = 0;

	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0)
		for (size_t i = 0; i < sizeof(sanitizer_marks) / sizeof(sanitizer_marks[0]); i++)
			if (strstr(line, sanitizer_marks[i]))
				n++;
	free(line);
	fclose(f);
	return n;
}

bool sf_classify_baseline(const char *log, const char *err, struct sf_baseline *b)
{
	struct evidence ev;
	bool ok = read_log(log, &ev) && ev.has_end;

	memset(b, 0, sizeof(*b));
	b->exit_status = ev.exit_status;
	memcpy(b->main_signal, ev.main_signal, sizeof(b->main_signal));
	memcpy(b->crash_counts, ev.crash_counts, sizeof(b->crash_counts));
	b->sanitizer_reports = count_sanitizer_reports(err);
	return ok && ev.has_exec;
}

/* A core signal that killed more of the other processes than in the clean run (the lowest), or 0. */
static int other_crash(const struct sf_baseline *b, const struct evidence *ev)
{
	for (int s = 1; s <= 64; s++)
		if (ev->crash_counts[s] > b->crash_counts[s])
			return s;
	return 0;
}

static void set_signal(struct sf_xpoint *p, const char *sig, bool core)
{
	snprintf(p->signal, sizeof(p->signal), "%s", sig);
	p->core = core;
}

void sf_classify(const struct sf_baseline *b, const char *log, const char *err,
		 int wait_status, struct sf_xpoint *p)
{
	struct evidence ev;
	char name[24];

	read_log(log, &ev);
	p->exit_status = ev.has_end ? ev.exit_status
		: WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
	p->signal[0] = 0;
	p->core = false;
	bool is_main_crash = ev.main_signal[0] && strcmp(ev.main_signal, b->main_signal);
	int other = other_crash(b, &ev);
	if (ev.main_signal[0])
		set_signal(p, ev.main_signal, ev.main_core);
	if (!is_main_crash && other && sf_signal_name(other, name, sizeof(name)))
		set_signal(p, name, ev.crash_core[other]);

	/* Whatever happened without the injection says nothing about this point. */
	if (!ev.is_injected)
		p->outcome = SF_OUT_UNREACHED;
	else if (ev.timed_out)
		p->outcome = SF_OUT_HANG;
	else if (is_main_crash || other)
		p->outcome = SF_OUT_CRASH;
	else if (count_sanitizer_reports(err) > b->sanitizer_reports)
		p->outcome = SF_OUT_SANITIZER;
	else if (p->exit_status == b->exit_status)
		p->outcome = SF_OUT_OK;
	else
		p->outcome = SF_OUT_FAILURE;
	if (p->outcome != SF_OUT_CRASH && p->outcome != SF_OUT_UNREACHED)
		p->signal[0] = 0, p->core = false;
}

char *sf_classify_tail(const char *err)
{
	FILE *f = fopen(err, "re");
	char *buf = calloc(1, TAIL_BYTES + 1);
	size_t n = 0;

	if (!f || !buf) {
		if (f)
			fclose(f);
		return buf ? buf : strdup("");
	}
	if (fseek(f, 0, SEEK_END) == 0) {
		long size = ftell(f);
		if (size > TAIL_BYTES)
			fseek(f, size - TAIL_BYTES, SEEK_SET);
		else
			rewind(f);
	}
	n = fread(buf, 1, TAIL_BYTES, f);
	fclose(f);
	/* A NUL cannot travel in a C string: it becomes U+FFFD below, as an invalid byte does. */
	for (size_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = (char)0xff;
	buf[n] = 0;
	/* The last TAIL_LINES lines: count newlines back from the end, ignoring a final one. */
	size_t start = 0, lines = 0;
	for (size_t i = n > 0 ? n - 1 : 0; i-- > 0;) {
		if (buf[i] == '\n' && ++lines == TAIL_LINES) {
			start = i + 1;
			break;
		}
	}
	char *text = sf_utf8_clean(buf + start);
	free(buf);
	return text ? text : strdup("");
}
