/*
 * Reports: JSON Lines log and the end-of-run summary (text or JSON).  Every
 * JSON value is built and written by jansson, never by hand.  Field names
 * are documented in README ("Log format", "Summary"); keep them stable, and
 * bump the format's version when one changes meaning.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "outfile.h"
#include "sysfault/sysfault.h"
#include "engine/timer.h"
#include "text.h"

/* ---- the log ---- */

struct sf_log {
	FILE *f;
	uint64_t t0;
	int err;                 /* -errno of the first line lost, or 0 */
};

/* Seconds since the log opened, rounded to the microsecond. */
static double elapsed(const struct sf_log *log)
{
	return (double)((sf_now_ns() - log->t0 + 500) / 1000) / 1e6;
}

/*
 * Writes one line: EVENT and the time, then the members of FIELDS (taken;
 * NULL when building them ran out of memory).  Each line is flushed:
 * explore reads a run's log after the run, but a killed run must still
 * leave every line it wrote.
 */
static void emit(struct sf_log *log, const char *event, json_t *fields)
{
	json_t *line = json_pack("{s:s,s:f}", "event", event, "time", elapsed(log));
	int rc = line && fields ? json_object_update(line, fields) : -1;

	rc = rc < 0 ? -ENOMEM : sf_json_write_line(line, log->f);
	if (rc == 0 && fflush(log->f) == EOF)
		rc = -errno;
	if (rc && !log->err)
		log->err = rc;
	json_decref(line);
	json_decref(fields);
}

struct sf_log *sf_log_open(const char *path)
{
	struct sf_log *log = calloc(1, sizeof(*log));

	if (!log)
		return NULL;
	int fd = sf_outfile_open(path);
	log->f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!log->f) {
		int e = fd < 0 ? -fd : errno;
		if (fd >= 0)
			close(fd);
		free(log);
		errno = e;
		return NULL;
	}
	log->t0 = sf_now_ns();
	/* The first line names the format, so a reader can refuse one it does not know. */
	emit(log, "log", json_pack("{s:s}", "format", SF_LOG_FORMAT));
	return log;
}

int sf_log_close(struct sf_log *log)
{
	if (!log)
		return 0;
	int rc = log->err;
	if (fclose(log->f) == EOF && !rc)
		rc = -errno;
	free(log);
	return rc;
}

void sf_log_start(struct sf_log *log, pid_t pid, pid_t tid, pid_t parent, bool is_thread)
{
	if (log)
		emit(log, "start", json_pack("{s:i,s:i,s:i,s:b}", "pid", pid, "tid", tid,
					     "parent", parent, "is_thread", is_thread));
}

/* The program TID runs, as /proc/TID/exe names it; "" when it cannot be read. */
static const char *exe_of(pid_t tid, char *exe, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/exe", tid);
	ssize_t n = readlink(path, exe, size - 1);
	exe[n > 0 ? n : 0] = '\0';
	return exe;
}

void sf_log_exec(struct sf_log *log, pid_t pid, pid_t tid)
{
	char exe[PATH_MAX];

	if (log)
		emit(log, "exec", json_pack("{s:i,s:i,s:o}", "pid", pid, "tid", tid,
					    "path", sf_json_text(exe_of(tid, exe, sizeof(exe)))));
}

/* What the rule did; errno and signal names come from libc's tables, plain ASCII. */
static int add_action(json_t *o, const struct sf_action *a, enum sf_abi abi, unsigned nr)
{
	char buf[32];
	int rc = 0;

	if (a->flags & SF_ACT_ERROR) {
		const char *name = sf_errno_name(a->error);
		rc |= json_object_set_new(o, "error", name ? json_string(name) : json_integer(a->error));
	}
	/* As the call's result reads it: a register of -1 is -1, not 2^64-1. */
	if (a->flags & SF_ACT_RETVAL)
		rc |= json_object_set_new(o, "retval", json_integer((json_int_t)(int64_t)a->retval));
	/* "run": the kernel performed the call, and only its result was replaced. */
	if (a->flags & (SF_ACT_ERROR | SF_ACT_RETVAL))
		rc |= json_object_set_new(o, "call", json_string(sf_action_runs_first(a, abi, nr)
								 ? "run" : "skip"));
	if (a->flags & SF_ACT_SIGNAL)
		rc |= json_object_set_new(o, "signal",
					  json_string(sf_signal_name(a->signo, buf, sizeof(buf))));
	if (a->flags & SF_ACT_DELAY_ENTER)
		rc |= json_object_set_new(o, "delay_enter_us", sf_json_u64(a->delay_enter_ns / 1000));
	if (a->flags & SF_ACT_DELAY_EXIT)
		rc |= json_object_set_new(o, "delay_exit_us", sf_json_u64(a->delay_exit_ns / 1000));
	return rc;
}

/* The fields a point line and an inject line share, in the same order. */
static json_t *point_fields(pid_t pid, pid_t tid, const struct sf_point *p, const char *exe)
{
	char text[512];

	sf_point_format(p, text, sizeof(text));
	json_t *o = json_pack("{s:i,s:i,s:o,s:o,s:I}", "pid", pid, "tid", tid,
			      "point", sf_json_text(text), "lineage", sf_json_text(p->lineage),
			      "thread", (json_int_t)p->thread);
	if (o && exe && json_object_set_new(o, "exe", sf_json_text(exe)) < 0)
		goto fail;
	json_t *more = json_pack("{s:s,s:s?,s:I,s:I,s:o}", "abi", sf_abi_name(p->abi),
				 "syscall", sf_syscall_name(p->abi, p->nr), "nr", (json_int_t)p->nr,
				 "rule", (json_int_t)p->rule, "occurrence", sf_json_u64(p->occurrence));
	if (!o || !more || json_object_update(o, more) < 0) {
		json_decref(more);
		goto fail;
	}
	json_decref(more);
	return o;
fail:
	json_decref(o);
	return NULL;
}

void sf_log_inject(struct sf_log *log, pid_t pid, pid_t tid, const char *lineage, unsigned thread,
		   enum sf_abi abi, unsigned nr, const struct sf_rule *rule, uint64_t occurrence,
		   const struct sf_frames *stack)
{
	struct sf_point p = { .thread = thread, .abi = abi, .nr = nr, .rule = rule->index + 1,
			      .occurrence = occurrence };

	if (!log)
		return;
	snprintf(p.lineage, sizeof(p.lineage), "%s", lineage ? lineage : "?");
	json_t *o = point_fields(pid, tid, &p, NULL);
	if (o && (add_action(o, &rule->action, abi, nr) ||
		  (stack && json_object_set_new(o, "stack", sf_json_stack(stack)) < 0))) {
		json_decref(o);
		o = NULL;
	}
	emit(log, "inject", o);
}

void sf_log_exit(struct sf_log *log, pid_t pid, pid_t tid, int status, int signo, bool is_core)
{
	char buf[32];

	if (!log)
		return;
	if (signo)
		emit(log, "exit", json_pack("{s:i,s:i,s:s,s:b}", "pid", pid, "tid", tid, "signal",
					    sf_signal_name(signo, buf, sizeof(buf)), "core", is_core));
	else
		emit(log, "exit", json_pack("{s:i,s:i,s:i}", "pid", pid, "tid", tid,
					    "exit_status", status));
}

void sf_log_end(struct sf_log *log, int exit_status, uint64_t seed, bool timed_out)
{
	if (log)
		emit(log, "end", json_pack("{s:i,s:o,s:b}", "exit_status", exit_status,
					   "seed", sf_json_u64(seed), "timed_out", timed_out));
}

void sf_log_point(struct sf_log *log, pid_t pid, pid_t tid, const struct sf_point *p,
		  const char *exe, const struct sf_frames *stack)
{
	if (!log)
		return;
	json_t *o = point_fields(pid, tid, p, exe ? exe : "");
	if (o && stack && json_object_set_new(o, "stack", sf_json_stack(stack)) < 0) {
		json_decref(o);
		o = NULL;
	}
	emit(log, "point", o);
}

void sf_log_result(struct sf_log *log, pid_t pid, pid_t tid, int64_t retval)
{
	if (log)
		emit(log, "result", json_pack("{s:i,s:i,s:I}", "pid", pid, "tid", tid,
					      "retval", (json_int_t)retval));
}

/* ---- the summary ---- */

/* Names, origins and the point are the user's text: made visible (text.h), one line each. */
static void summary_text(const struct sf_result *res, FILE *out)
{
	fprintf(out, "sysfault: seed %" PRIu64 "\n", res->seed);
	for (unsigned i = 0; i < res->nrules; i++) {
		const struct sf_rule_result *r = &res->rules[i];
		fprintf(out, "sysfault: rule %u ", i + 1);
		/* -e rules are named by their spec; file rules by label and place. */
		if (r->name) {
			fputc('"', out);
			sf_text_fputs(r->name, out);
			fputs("\" (", out);
			sf_text_fputs(r->origin, out);
			fputc(')', out);
		} else if (!strncmp(r->origin, "-e ", 3)) {
			sf_text_fputs(r->origin, out);
		} else {
			fputc('(', out);
			sf_text_fputs(r->origin, out);
			fputc(')', out);
		}
		fprintf(out, ": matched %" PRIu64 ", injected %" PRIu64 "\n",
			r->matched, r->injected);
	}
	if (res->point) {
		fputs("sysfault: point ", out);
		sf_text_fputs(res->point, out);
		fprintf(out, " %s\n", res->point_reached ? "reached and injected" : "not reached");
	}
	/* After an attach (-p) the timeout detaches, and the status is 0. */
	if (res->timed_out)
		fputs(res->exit_status == SF_EXIT_TIMEOUT ? "sysfault: timed out; the whole tree was killed\n"
			: "sysfault: timed out; detached, the processes run on\n", out);
}

static json_t *summary_rules(const struct sf_result *res)
{
	json_t *rules = json_array();

	for (unsigned i = 0; rules && i < res->nrules; i++) {
		const struct sf_rule_result *r = &res->rules[i];
		json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:o}", "rule", (json_int_t)i + 1,
				      "name", sf_json_text(r->name), "origin", sf_json_text(r->origin),
				      "matched", sf_json_u64(r->matched), "injected", sf_json_u64(r->injected));
		if (json_array_append_new(rules, o) < 0) {
			json_decref(rules);
			rules = NULL;
		}
	}
	return rules;
}

static json_t *summary_json(const struct sf_result *res)
{
	json_t *o = json_pack("{s:s,s:o,s:i,s:b,s:o,s:o,s:o}", "format", SF_SUMMARY_FORMAT,
			      "seed", sf_json_u64(res->seed), "exit_status", res->exit_status,
			      "timed_out", res->timed_out, "processes", sf_json_u64(res->processes),
			      "injections", sf_json_u64(res->injections), "rules", summary_rules(res));

	if (o && res->point &&
	    (json_object_set_new(o, "point", sf_json_text(res->point)) < 0 ||
	     json_object_set_new(o, "point_reached", json_boolean(res->point_reached)) < 0)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

void sf_report_summary(const struct sf_result *res, enum sf_summary fmt, FILE *out)
{
	if (fmt == SF_SUMMARY_TEXT) {
		summary_text(res, out);
	} else if (fmt == SF_SUMMARY_JSON) {
		json_t *o = summary_json(res);
		int rc = sf_json_write_line(o, out);
		if (rc < 0)
			sf_error("cannot write the JSON summary: %s", strerror(-rc));
		json_decref(o);
	}
	fflush(out);
}
