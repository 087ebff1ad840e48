/*
 * The tracer process: sf_run() forks one child that does the whole run and
 * sends back, over a pipe, its diagnostic lines as they come and then the
 * result.  Tracing needs process-wide things (waitpid on every child,
 * signal handlers, a POSIX timer, the signal mask); this keeps all of them
 * out of the caller, whose other children, handlers and stdio stay its own.
 * The caller only waits for that one pid.
 */
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "rules/scenario.h"

/* One message on the pipe: a header, then LEN bytes. */
enum msg_type { MSG_DIAG = 1, MSG_RESULT = 2 };
struct msg_header {
	uint32_t type;
	uint32_t kind;           /* MSG_DIAG: enum sf_diag_kind */
	uint32_t len;
};

/* What a result carries besides what the caller already has (its scenario's names). */
struct wire_result {
	int32_t rc;
	int32_t exit_status;
	int32_t term_signal;
	uint8_t timed_out;
	uint8_t point_reached;
	uint8_t has_point;
	uint64_t seed;
	uint64_t processes;
	uint32_t nrules;
};
/* Then one struct sf_rule_tally per rule (fired is not sent). */

#define SF_MAX_DIAG_LINE 4096

/* ---- in the tracer process ------------------------------------------------ */

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_msg(int fd, enum msg_type type, uint32_t kind, const void *body, size_t len)
{
	struct msg_header h = { type, kind, (uint32_t)len };

	return write_all(fd, &h, sizeof(h)) || write_all(fd, body, len) ? -1 : 0;
}

static void pipe_sink(enum sf_diag_kind kind, const char *line, void *arg)
{
	size_t len = strnlen(line, SF_MAX_DIAG_LINE);

	send_msg(*(int *)arg, MSG_DIAG, (uint32_t)kind, line, len);
}

static int send_result(int fd, int rc, const struct sf_result *res)
{
	struct wire_result w = {
		.rc = rc, .exit_status = res->exit_status, .term_signal = res->term_signal,
		.timed_out = res->timed_out, .point_reached = res->point_reached,
		.has_point = res->point != NULL, .seed = res->seed, .processes = res->processes,
		.nrules = rc == 0 ? res->nrules : 0,
	};
	size_t len = sizeof(w) + w.nrules * sizeof(struct sf_rule_tally);
	char *buf = malloc(len);

	if (!buf)
		return -1;
	memcpy(buf, &w, sizeof(w));
	for (uint32_t i = 0; i < w.nrules; i++) {
		struct sf_rule_tally r = { .matched = res->rules[i].matched,
					   .injected = res->rules[i].injected };
		memcpy(buf + sizeof(w) + i * sizeof(r), &r, sizeof(r));
	}
	int err = send_msg(fd, MSG_RESULT, 0, buf, len);
	free(buf);
	return err;
}

/*
 * The caller's handlers must never run here: one for SIGCHLD that reaps
 * would take the tracees' stops.  Ignored signals stay ignored, because the
 * command inherits them (nohup), as it inherits the caller's mask.
 */
static void drop_caller_handlers(void)
{
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &sa) < 0)
			continue;
		if (!(sa.sa_flags & SA_SIGINFO) && (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN))
			continue;
		signal(sig, SIG_DFL);
	}
}

static _Noreturn void tracer_main(int fd, pid_t caller, const struct sf_scenario *sc,
				  const struct sf_run_options *opts, char *const argv[])
{
	struct sf_result res;

	/* If the caller dies, so does the tracer, and PTRACE_O_EXITKILL takes the tree. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != caller)
		_exit(127);
	drop_caller_handlers();
	sf_diag_set_sink(pipe_sink, &fd);
	int rc = sf_run_here(sc, opts, argv, &res);
	if (send_result(fd, rc, &res) < 0)
		_exit(126);
	/* _exit: the caller's atexit handlers and stdio buffers are not ours to run. */
	_exit(0);
}

/* ---- in the caller ------------------------------------------------------------ */

struct reader {
	int fd;
	char *buf;
	size_t len, cap;
	bool has_result;
	struct wire_result w;
	struct sf_rule_tally *rules;
};

static int read_more(struct reader *r)
{
	if (r->len == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8192;
		char *buf = realloc(r->buf, cap);
		if (!buf)
			return -ENOMEM;
		r->buf = buf;
		r->cap = cap;
	}
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		r->len += (size_t)n;
		return n == 0 ? 1 : 0;   /* 1: end of the pipe */
	}
}

static int take_result(struct reader *r, const char *body, size_t len)
{
	if (len < sizeof(r->w))
		return -EPROTO;
	memcpy(&r->w, body, sizeof(r->w));
	if (len != sizeof(r->w) + r->w.nrules * sizeof(struct sf_rule_tally))
		return -EPROTO;
	free(r->rules);
	r->rules = calloc(r->w.nrules ? r->w.nrules : 1, sizeof(*r->rules));
	if (!r->rules)
		return -ENOMEM;
	memcpy(r->rules, body + sizeof(r->w), r->w.nrules * sizeof(*r->rules));
	r->has_result = true;
	return 0;
}

/* Handles every whole message in the buffer, in the caller's own thread. */
static int dispatch(struct reader *r)
{
	size_t off = 0;
	int err = 0;

	while (!err && r->len - off >= sizeof(struct msg_header)) {
		struct msg_header h;
		memcpy(&h, r->buf + off, sizeof(h));
		if (h.len > (1u << 30))
			return -EPROTO;
		if (r->len - off - sizeof(h) < h.len)
			break;
		const char *body = r->buf + off + sizeof(h);
		if (h.type == MSG_DIAG) {
			char line[SF_MAX_DIAG_LINE + 1];
			size_t n = h.len < SF_MAX_DIAG_LINE ? h.len : SF_MAX_DIAG_LINE;
			memcpy(line, body, n);
			line[n] = 0;
			sf_diag_emit((enum sf_diag_kind)h.kind, line);
		} else if (h.type == MSG_RESULT) {
			err = take_result(r, body, h.len);
		} else {
			err = -EPROTO;
		}
		off += sizeof(h) + h.len;
	}
	memmove(r->buf, r->buf + off, r->len - off);
	r->len -= off;
	return err;
}

static int fill_from_wire(const struct reader *r, const struct sf_scenario *sc,
			  const struct sf_run_options *opts, struct sf_result *res)
{
	if (r->w.rc < 0)
		return r->w.rc;
	if (r->w.nrules != sc->rules.n)
		return -EPROTO;
	if (sf_result_set_rules(res, &sc->rules, r->rules) < 0)
		return -ENOMEM;
	res->exit_status = r->w.exit_status;
	res->term_signal = r->w.term_signal;
	res->timed_out = r->w.timed_out;
	res->seed = r->w.seed;
	res->processes = r->w.processes;
	res->point = r->w.has_point ? opts->point : NULL;
	res->point_reached = r->w.point_reached;
	return 0;
}

/* Waits for the tracer only: the caller's other children are not touched. */
static int reap(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno == EINTR)
			continue;
		return 0;   /* ECHILD: the caller ignores SIGCHLD, the kernel reaped it */
	}
	return status;
}

static void report_lost(int status)
{
	if (WIFSIGNALED(status))
		sf_error("the tracer process was killed by signal %d before it sent its result",
			 WTERMSIG(status));
	else
		sf_error("the tracer process ended (status %d) before it sent its result",
			 WIFEXITED(status) ? WEXITSTATUS(status) : status);
}

int sf_tracer_run(const struct sf_scenario *sc, const struct sf_run_options *opts,
		  char *const argv[], struct sf_result *res)
{
	int fds[2];
	pid_t caller = getpid();

	memset(res, 0, sizeof(*res));
	if (pipe2(fds, O_CLOEXEC) < 0) {
		int err = errno;
		sf_error("pipe: %s", strerror(err));
		return -err;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		sf_error("fork of the tracer process: %s", strerror(err));
		close(fds[0]);
		close(fds[1]);
		return -err;
	}
	if (pid == 0) {
		close(fds[0]);
		tracer_main(fds[1], caller, sc, opts, argv);
	}
	close(fds[1]);
	struct reader r = { .fd = fds[0] };
	int err = 0, end = 0;
	while (!err && !end) {
		end = read_more(&r);
		err = end < 0 ? end : dispatch(&r);
	}
	close(fds[0]);
	int status = reap(pid);
	if (!err && !r.has_result) {
		report_lost(status);
		err = -ECHILD;
	} else if (err) {
		sf_error("reading from the tracer process: %s", strerror(-err));
	}
	if (!err)
		err = fill_from_wire(&r, sc, opts, res);
	free(r.buf);
	free(r.rules);
	return err;
}
