/*
 * Integration-test helpers: spawn a command in its own process group,
 * collect its output through pipes, and kill the group at the deadline so a
 * broken harness fails a test instead of hanging the suite.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

const char *sf_test_sysfault(void)
{
	return env_or("SYSFAULT", "build/sysfault");
}

const char *sf_test_target(const char *name)
{
	static char ring[8][4096];
	static unsigned next;
	char *buf = ring[next++ % 8];

	snprintf(buf, sizeof(ring[0]), "%s/%s", env_or("TARGETS", "build/targets"), name);
	return buf;
}

const char *sf_test_srcpath(const char *rel)
{
	static char ring[8][4096];
	static unsigned next;
	char *buf = ring[next++ % 8];

	snprintf(buf, sizeof(ring[0]), "%s/%s", env_or("SRCDIR", "."), rel);
	return buf;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct buf { char *s; size_t n, cap; };

static int buf_read(struct buf *b, int fd)
{
	if (b->cap - b->n < 4096) {
		b->cap = b->cap * 2 + 8192;
		b->s = realloc(b->s, b->cap);
	}
	ssize_t r = read(fd, b->s + b->n, b->cap - b->n - 1);
	if (r > 0)
		b->n += r;
	b->s[b->n] = 0;
	return r > 0 || (r < 0 && errno == EINTR);
}

int sf_proc_run(struct sf_proc *p, double timeout_s, char *const argv[])
{
	int po[2], pe[2];
	struct buf out = {0}, err = {0};

	memset(p, 0, sizeof(*p));
	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC))
		return -1;
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		int devnull = open("/dev/null", O_RDONLY);
		dup2(devnull, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(po[1]);
	close(pe[1]);
	out.s = calloc(1, out.cap = 1);
	err.s = calloc(1, err.cap = 1);
	struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds) {
		double left = t0 + timeout_s - now();
		if (left <= 0) {
			p->timed_out = 1;
			kill(-pid, SIGKILL);
			break;
		}
		int r = poll(fds, 2, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd >= 0 && fds[i].revents) {
				if (!buf_read(i ? &err : &out, fds[i].fd)) {
					close(fds[i].fd);
					fds[i].fd = -1;
					open_fds--;
				}
			}
		}
	}
	int status = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (now() - t0 > timeout_s + 5) {
			p->timed_out = 1;
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(1000);
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	p->seconds = now() - t0;
	p->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	p->out = out.s;
	p->err = err.s;
	return 0;
}

int sf_proc_sh(struct sf_proc *p, double timeout_s, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	char *argv[] = {"/bin/sh", "-c", cmd, NULL};
	return sf_proc_run(p, timeout_s, argv);
}

void sf_proc_release(struct sf_proc *p)
{
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
}

int sf_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *s = text; s && *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == n && !memcmp(s, line, n))
			return 1;
		s = e ? e + 1 : NULL;
	}
	return 0;
}

int sf_count_prefix(const char *text, const char *prefix)
{
	int count = 0;
	size_t n = strlen(prefix);
	for (const char *s = text; s && *s;) {
		if (!strncmp(s, prefix, n))
			count++;
		const char *e = strchr(s, '\n');
		s = e ? e + 1 : NULL;
	}
	return count;
}

const char *sf_kv(const char *text, const char *key, char *buf, size_t size)
{
	char pat[256];
	snprintf(pat, sizeof(pat), "%s=", key);
	size_t n = strlen(pat);
	for (const char *s = text; s && *s; s++) {
		if ((s == text || s[-1] == ' ' || s[-1] == '\n') && !strncmp(s, pat, n)) {
			s += n;
			size_t len = strcspn(s, " \n");
			if (len >= size)
				len = size - 1;
			memcpy(buf, s, len);
			buf[len] = 0;
			return buf;
		}
	}
	return NULL;
}

/* ---- added for the integration suites ---- */

int sf_proc_runl(struct sf_proc *p, double timeout_s, const char *arg0, ...)
{
	const char *argv[64];
	int n = 0;
	va_list ap;

	argv[n++] = arg0;
	va_start(ap, arg0);
	while (n < 63 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	return sf_proc_run(p, timeout_s, (char *const *)argv);
}

static char tmp_dir[256];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

static void remove_tmpdir(void)
{
	if (tmp_dir[0] && getenv("SF_TEST_KEEP_TMP") == NULL)
		nftw(tmp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* One private directory per run of the tests, removed at exit unless
 * SF_TEST_KEEP_TMP is set (to look at scenario files of a failed test). */
static const char *tmpdir(void)
{
	if (!tmp_dir[0]) {
		snprintf(tmp_dir, sizeof(tmp_dir), "%s/sf-test-%d-XXXXXX",
			 env_or("TMPDIR", "/tmp"), (int)getpid());
		if (!mkdtemp(tmp_dir)) {
			perror("mkdtemp");
			exit(2);
		}
		atexit(remove_tmpdir);
	}
	return tmp_dir;
}

const char *sf_test_tmpfile(const char *name, const char *content)
{
	static char ring[8][512];
	static unsigned next;
	char *path = ring[next++ % 8];

	snprintf(path, sizeof(ring[0]), "%s/%s", tmpdir(), name);
	unlink(path);
	if (content) {
		FILE *f = fopen(path, "w");
		if (!f) {
			perror(path);
			exit(2);
		}
		fputs(content, f);
		fclose(f);
	}
	return path;
}

int sf_word_count(const char *s)
{
	int n = 0;
	for (int in = 0; *s; s++) {
		if (*s != ' ' && !in)
			n++;
		in = *s != ' ';
	}
	return n;
}

/* The line of TEXT starting with "PREFIX " or equal to PREFIX. */
static const char *find_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	for (const char *s = text; s && *s;) {
		if (!strncmp(s, prefix, n) && (s[n] == ' ' || s[n] == '\n' || !s[n]))
			return s;
		const char *e = strchr(s, '\n');
		s = e ? e + 1 : NULL;
	}
	return NULL;
}

const char *sf_line_kv(const char *text, const char *prefix, const char *key,
		       char *buf, size_t size)
{
	const char *line = find_line(text, prefix);
	if (!line)
		return NULL;
	const char *end = strchr(line, '\n');
	size_t len = end ? (size_t)(end - line) : strlen(line);
	char *copy = strndup(line, len);
	const char *v = sf_kv(copy, key, buf, size);
	free(copy);
	return v;
}

const char *sf_outcomes(const char *text, const char *prefix, int n)
{
	static char ring[4][4096];
	static unsigned next;
	char *res = ring[next++ % 4];
	size_t used = 0;

	res[0] = 0;
	for (int i = 1; i <= n; i++) {
		char name[256], val[64];
		const char *word;
		snprintf(name, sizeof(name), "%s %d", prefix, i);
		if (sf_line_kv(text, name, "errno", val, sizeof(val)))
			word = val;
		else if (find_line(text, name))
			word = "ok";
		else
			word = "missing";
		used += snprintf(res + used, sizeof(ring[0]) - used, "%s%s", i > 1 ? " " : "", word);
		if (used >= sizeof(ring[0]))
			break;
	}
	return res;
}

int sf_count_lines_with(const char *text, const char *needle)
{
	int count = 0;
	for (const char *s = text; s && *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *line = strndup(s, len);
		if (strstr(line, needle))
			count++;
		free(line);
		s = e ? e + 1 : NULL;
	}
	return count;
}

int sf_count_lines(const char *text)
{
	int count = 0;
	for (const char *s = text; s && *s;) {
		count++;
		const char *e = strchr(s, '\n');
		s = e ? e + 1 : NULL;
	}
	return count;
}

/* A strict JSON (RFC 8259) recogniser: enough to tell valid from invalid. */
struct json { const char *s, *end; int depth; };

static void json_ws(struct json *j)
{
	while (j->s < j->end && strchr(" \t\r\n", *j->s))
		j->s++;
}

static int json_lit(struct json *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->s) < n || memcmp(j->s, lit, n))
		return 0;
	j->s += n;
	return 1;
}

static int json_string(struct json *j)
{
	if (j->s >= j->end || *j->s != '"')
		return 0;
	for (j->s++; j->s < j->end; j->s++) {
		unsigned char c = *j->s;
		if (c == '"') {
			j->s++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (++j->s >= j->end)
				return 0;
			if (*j->s == 'u') {
				for (int i = 0; i < 4; i++)
					if (++j->s >= j->end || !strchr("0123456789abcdefABCDEF", *j->s))
						return 0;
			} else if (!strchr("\"\\/bfnrt", *j->s)) {
				return 0;
			}
		}
	}
	return 0;
}

static int json_digits(struct json *j)
{
	const char *start = j->s;
	while (j->s < j->end && *j->s >= '0' && *j->s <= '9')
		j->s++;
	return j->s > start;
}

static int json_number(struct json *j)
{
	if (j->s < j->end && *j->s == '-')
		j->s++;
	if (j->s < j->end && *j->s == '0')
		j->s++;
	else if (!json_digits(j))
		return 0;
	if (j->s < j->end && *j->s == '.') {
		j->s++;
		if (!json_digits(j))
			return 0;
	}
	if (j->s < j->end && (*j->s == 'e' || *j->s == 'E')) {
		j->s++;
		if (j->s < j->end && (*j->s == '+' || *j->s == '-'))
			j->s++;
		if (!json_digits(j))
			return 0;
	}
	return 1;
}

static int json_value(struct json *j);

static int json_members(struct json *j, char close, int keyed)
{
	j->s++;
	json_ws(j);
	if (j->s < j->end && *j->s == close) {
		j->s++;
		return 1;
	}
	for (;;) {
		if (keyed) {
			json_ws(j);
			if (!json_string(j))
				return 0;
			json_ws(j);
			if (j->s >= j->end || *j->s++ != ':')
				return 0;
		}
		if (!json_value(j))
			return 0;
		json_ws(j);
		if (j->s >= j->end)
			return 0;
		if (*j->s == close) {
			j->s++;
			return 1;
		}
		if (*j->s++ != ',')
			return 0;
	}
}

static int json_value(struct json *j)
{
	int ok;
	json_ws(j);
	if (j->s >= j->end || ++j->depth > 64)
		return 0;
	switch (*j->s) {
	case '{': ok = json_members(j, '}', 1); break;
	case '[': ok = json_members(j, ']', 0); break;
	case '"': ok = json_string(j); break;
	case 't': ok = json_lit(j, "true"); break;
	case 'f': ok = json_lit(j, "false"); break;
	case 'n': ok = json_lit(j, "null"); break;
	default: ok = json_number(j); break;
	}
	j->depth--;
	return ok;
}

int sf_json_valid(const char *s, size_t len)
{
	struct json j = {s, s + len, 0};
	if (!json_value(&j))
		return 0;
	json_ws(&j);
	return j.s == j.end;
}

char *sf_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);
	size_t r;
	while (s && (r = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n < 2) {
			char *bigger = realloc(s, cap *= 2);
			if (!bigger)
				free(s);
			s = bigger;
		}
	}
	if (s)
		s[n] = 0;
	fclose(f);
	return s;
}

void sf_assert_refused(const char *line_start, const char *const args[])
{
	const char *proof = sf_test_tmpfile("refused-command-ran", NULL);
	const char *argv[32];
	int n = 0;
	struct sf_proc p;

	argv[n++] = sf_test_sysfault();
	for (int i = 0; args[i] && n < 27; i++)
		argv[n++] = args[i];
	argv[n++] = "--";
	argv[n++] = sf_test_target("die");
	argv[n++] = "touch";
	argv[n++] = proof;
	argv[n] = NULL;
	sf_proc_run(&p, 20.0, (char *const *)argv);
	SF_ASSERT_PROC(p.status == 125, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1 && p.err[strlen(p.err) - 1] == '\n', &p);
	SF_ASSERT_PROC(!strncmp(p.err, line_start, strlen(line_start)), &p);
	SF_ASSERT_PROC(p.out[0] == 0, &p);
	SF_ASSERT_PROC(access(proof, F_OK) != 0, &p);   /* the command never ran */
	sf_proc_release(&p);
}

const char *sf_test_explore_cannot_isolate(void)
{
	static bool is_asked;
	static char *why;
	struct sf_proc p;

	if (is_asked)
		return why;
	is_asked = true;
	sf_proc_sh(&p, 30, "cd /tmp && exec '%s' explore -q --fail-on none -e getppid:error=EIO -- true",
		   sf_test_sysfault());
	if (p.status != 0) {
		const char *line = p.err && !strncmp(p.err, "sysfault: ", 10) ? p.err + 10 : p.err;
		why = strndup(line && *line ? line : "explore failed", strcspn(line ? line : "", "\n"));
	}
	sf_proc_release(&p);
	return why;
}

void sf_test_add_explore(CU_pSuite s, const char *name, CU_TestFunc fn)
{
	const char *why = sf_test_explore_cannot_isolate();

	if (!why)
		CU_add_test(s, name, fn);
	else
		fprintf(stderr, "%s: not run: %s (%s)\n", s->pName, name, why);
}
