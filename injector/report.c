/*
 * Reports: JSON Lines log and the end-of-run summary (text or JSON).
 * Field names are documented in README ("Log format"); keep them stable.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfault/sysfault.h"
#include "engine/timer.h"

struct sf_log {
	FILE *f;
	uint64_t t0;
};

struct sf_log *sf_log_open(const char *path)
{
	struct sf_log *log = calloc(1, sizeof(*log));

	if (!log)
		return NULL;
	log->f = fopen(path, "we");
	if (!log->f) {
		int e = errno;
		free(log);
		errno = e;
		return NULL;
	}
	log->t0 = sf_now_ns();
	return log;
}

void sf_log_close(struct sf_log *log)
{
	if (!log)
		return;
	fclose(log->f);
	free(log);
}

void sf_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void head(struct sf_log *log, const char *event)
{
	double t = (double)(sf_now_ns() - log->t0) / 1e9;
	fprintf(log->f, "{\"event\":\"%s\",\"time\":%.6f", event, t);
}

static void tail(struct sf_log *log)
{
	fputs("}\n", log->f);
	fflush(log->f);
}

void sf_log_start(struct sf_log *log, pid_t pid, pid_t tid, pid_t parent, bool is_thread)
{
	if (!log)
		return;
	head(log, "start");
	fprintf(log->f, ",\"pid\":%d,\"tid\":%d,\"parent\":%d,\"thread\":%s",
		pid, tid, parent, is_thread ? "true" : "false");
	tail(log);
}

void sf_log_exec(struct sf_log *log, pid_t pid, pid_t tid, const char *path)
{
	if (!log)
		return;
	head(log, "exec");
	fprintf(log->f, ",\"pid\":%d,\"tid\":%d,\"path\":", pid, tid);
	sf_json_string(log->f, path);
	tail(log);
}

static void log_action(FILE *f, const struct sf_action *a)
{
	char buf[32];

	if (a->flags & SF_ACT_ERROR) {
		const char *name = sf_errno_name(a->error);
		if (name) {
			fputs(",\"error\":", f);
			sf_json_string(f, name);
		} else {
			fprintf(f, ",\"error\":%d", a->error);
		}
	}
	if (a->flags & SF_ACT_RETVAL)
		fprintf(f, ",\"retval\":%" PRIu64, a->retval);
	if (a->flags & SF_ACT_SIGNAL) {
		fputs(",\"signal\":", f);
		sf_json_string(f, sf_signal_name(a->signo, buf, sizeof(buf)));
	}
	if (a->flags & SF_ACT_DELAY_ENTER)
		fprintf(f, ",\"delay_enter_us\":%" PRIu64, a->delay_enter_ns / 1000);
	if (a->flags & SF_ACT_DELAY_EXIT)
		fprintf(f, ",\"delay_exit_us\":%" PRIu64, a->delay_exit_ns / 1000);
}

void sf_log_inject(struct sf_log *log, pid_t pid, pid_t tid, enum sf_abi abi,
		   unsigned nr, const struct sf_rule *rule, uint64_t occurrence)
{
	if (!log)
		return;
	const char *name = sf_syscall_name(abi, nr);
	head(log, "inject");
	fprintf(log->f, ",\"pid\":%d,\"tid\":%d,\"abi\":\"%s\",\"syscall\":", pid, tid,
		sf_abi_name(abi));
	if (name)
		sf_json_string(log->f, name);
	else
		fputs("null", log->f);
	fprintf(log->f, ",\"nr\":%u,\"rule\":%u,\"occurrence\":%" PRIu64, nr,
		rule->index + 1, occurrence);
	log_action(log->f, &rule->action);
	tail(log);
}

void sf_log_exit(struct sf_log *log, pid_t pid, pid_t tid, int status, int signo, bool is_core)
{
	char buf[32];

	if (!log)
		return;
	head(log, "exit");
	fprintf(log->f, ",\"pid\":%d,\"tid\":%d", pid, tid);
	if (signo) {
		fputs(",\"signal\":", log->f);
		sf_json_string(log->f, sf_signal_name(signo, buf, sizeof(buf)));
		fprintf(log->f, ",\"core\":%s", is_core ? "true" : "false");
	} else {
		fprintf(log->f, ",\"status\":%d", status);
	}
	tail(log);
}

void sf_log_end(struct sf_log *log, int exit_status, uint64_t seed, bool timed_out)
{
	if (!log)
		return;
	head(log, "end");
	fprintf(log->f, ",\"exit_status\":%d,\"seed\":%" PRIu64 ",\"timed_out\":%s", exit_status,
		seed, timed_out ? "true" : "false");
	tail(log);
}

void sf_log_point(struct sf_log *log, pid_t pid, pid_t tid, const struct sf_point *p)
{
	char text[512], path[64], exe[512];

	if (!log)
		return;
	sf_point_format(p, text, sizeof(text));
	snprintf(path, sizeof(path), "/proc/%d/exe", tid);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	head(log, "point");
	fputs(",\"point\":", log->f);
	sf_json_string(log->f, text);
	fputs(",\"lineage\":", log->f);
	sf_json_string(log->f, p->lineage);
	fprintf(log->f, ",\"thread\":%u,\"pid\":%d,\"tid\":%d,\"exe\":", p->thread, pid, tid);
	sf_json_string(log->f, exe);
	fprintf(log->f, ",\"abi\":\"%s\",\"syscall\":", sf_abi_name(p->abi));
	const char *name = sf_syscall_name(p->abi, p->nr);
	if (name)
		sf_json_string(log->f, name);
	else
		fputs("null", log->f);
	fprintf(log->f, ",\"nr\":%u,\"rule\":%u,\"occurrence\":%" PRIu64, p->nr, p->rule,
		p->occurrence);
	tail(log);
}

void sf_log_result(struct sf_log *log, pid_t pid, pid_t tid, int64_t rval)
{
	if (!log)
		return;
	head(log, "result");
	fprintf(log->f, ",\"pid\":%d,\"tid\":%d,\"rval\":%" PRId64, pid, tid, rval);
	tail(log);
}

static void summary_text(const struct sf_result *res, FILE *out)
{
	fprintf(out, "sysfault: seed %" PRIu64 "\n", res->seed);
	for (unsigned i = 0; i < res->nrules; i++) {
		const struct sf_rule_result *r = &res->rules[i];
		fprintf(out, "sysfault: rule %u ", i + 1);
		/* -e rules are named by their spec; file rules by label and place. */
		if (r->name)
			fprintf(out, "\"%s\" (%s)", r->name, r->origin);
		else if (!strncmp(r->origin, "-e ", 3))
			fputs(r->origin, out);
		else
			fprintf(out, "(%s)", r->origin);
		fprintf(out, ": matched %" PRIu64 ", injected %" PRIu64 "\n",
			r->matched, r->injected);
	}
	if (res->point)
		fprintf(out, "sysfault: point %s %s\n", res->point,
			res->point_reached ? "reached and injected" : "not reached");
	if (res->timed_out)
		fputs("sysfault: timed out; the whole tree was killed\n", out);
}

static void summary_json(const struct sf_result *res, FILE *out)
{
	fprintf(out, "{\"seed\":%" PRIu64 ",\"exit_status\":%d,\"timed_out\":%s,"
		"\"processes\":%" PRIu64 ",\"injections\":%" PRIu64 ",\"rules\":[",
		res->seed, res->exit_status, res->timed_out ? "true" : "false",
		res->processes, res->injections);
	for (unsigned i = 0; i < res->nrules; i++) {
		const struct sf_rule_result *r = &res->rules[i];
		fprintf(out, "%s{\"index\":%u,\"name\":", i ? "," : "", i + 1);
		if (r->name)
			sf_json_string(out, r->name);
		else
			fputs("null", out);
		fputs(",\"origin\":", out);
		sf_json_string(out, r->origin);
		fprintf(out, ",\"matched\":%" PRIu64 ",\"injected\":%" PRIu64 "}",
			r->matched, r->injected);
	}
	fputs("]", out);
	if (res->point) {
		fputs(",\"point\":", out);
		sf_json_string(out, res->point);
		fprintf(out, ",\"point_reached\":%s", res->point_reached ? "true" : "false");
	}
	fputs("}\n", out);
}

void sf_report_summary(const struct sf_result *res, enum sf_summary fmt, FILE *out)
{
	if (fmt == SF_SUMMARY_TEXT)
		summary_text(res, out);
	else if (fmt == SF_SUMMARY_JSON)
		summary_json(res, out);
	fflush(out);
}
