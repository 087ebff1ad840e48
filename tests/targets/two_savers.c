/*
 * two_savers: the same system call made from two functions, for the tests
 * of `caller` rules.  Each step saves through one of them:
 *   a:N          save_a() makes N writes
 *   b:N          save_b() makes N writes
 *   thread:a:N   the same in a new thread, joined before the next step (thread:b:N)
 *   fork:a:N     the same in a forked child, waited for (fork:b:N)
 * Every write is one byte to /dev/null through libc's write(), made by
 * put(), which both call: the function a rule names is a caller further up
 * the stack, never the innermost frame.  After its steps, each context
 * reports every write in one writev() (no rule on write meets it):
 *   "CTX F I ret=R"  or  "CTX F I ret=-1 errno=ENAME"
 * CTX is main, thread or child; F is a or b; I counts from 1 per context
 * and function.  Built with -g, and by the makefile also stripped
 * (two_savers_stripped) and static (two_savers_static).
 * Usage: two_savers STEP...
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

struct ctx {
	const char *name;
	int done[2];             /* writes so far by save_a, save_b */
	char out[1 << 16];
	size_t len;
};

static void note(struct ctx *c, int f, ssize_t r, int err)
{
	char line[96];
	int n = ++c->done[f];

	if (r < 0)
		snprintf(line, sizeof(line), "%s %c %d ret=-1 errno=%s\n", c->name, "ab"[f], n,
			 strerrorname_np(err));
	else
		snprintf(line, sizeof(line), "%s %c %d ret=%zd\n", c->name, "ab"[f], n, r);
	size_t len = strlen(line);
	if (c->len + len < sizeof(c->out)) {
		memcpy(c->out + c->len, line, len);
		c->len += len;
	}
}

static void report(struct ctx *c)
{
	for (size_t off = 0; off < c->len;) {
		struct iovec iov = { c->out + off, c->len - off };
		ssize_t r = writev(1, &iov, 1);
		if (r <= 0 && !(r < 0 && errno == EINTR))
			exit(3);
		off += r > 0 ? (size_t)r : 0;
	}
	c->len = 0;
}

/* The one place that writes; noinline so that it is a frame of its own. */
__attribute__((noinline)) static void put(struct ctx *c, int f, const char *byte)
{
	errno = 0;
	ssize_t r = write(3, byte, 1);
	note(c, f, r, errno);
}

__attribute__((noinline)) static void save_a(struct ctx *c, int n)
{
	for (int i = 0; i < n; i++)
		put(c, 0, "a");
	__asm__ volatile("" ::: "memory");   /* no tail call: save_a stays on the stack */
}

__attribute__((noinline)) static void save_b(struct ctx *c, int n)
{
	for (int i = 0; i < n; i++)
		put(c, 1, "b");
	__asm__ volatile("" ::: "memory");
}

struct job {
	struct ctx *c;
	int f, n;
};

static void *run_job(void *arg)
{
	struct job *j = arg;

	if (j->f == 0)
		save_a(j->c, j->n);
	else
		save_b(j->c, j->n);
	return NULL;
}

/* "a:N" or "b:N" into JOB; 0, or -1 when it is neither. */
static int parse_job(const char *s, struct job *job)
{
	if ((s[0] != 'a' && s[0] != 'b') || s[1] != ':')
		return -1;
	job->f = s[0] - 'a';
	job->n = atoi(s + 2);
	return 0;
}

int main(int argc, char **argv)
{
	static struct ctx main_ctx = { .name = "main" }, thread_ctx = { .name = "thread" },
			  child_ctx = { .name = "child" };
	int null = open("/dev/null", O_WRONLY);

	if (null < 0 || (null != 3 && dup2(null, 3) != 3))
		return 2;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		struct job job = { &main_ctx, 0, 0 };
		if (strncmp(s, "thread:", 7) == 0) {
			pthread_t t;
			job.c = &thread_ctx;
			if (parse_job(s + 7, &job) || pthread_create(&t, NULL, run_job, &job) ||
			    pthread_join(t, NULL))
				return 2;
		} else if (strncmp(s, "fork:", 5) == 0) {
			job.c = &child_ctx;
			if (parse_job(s + 5, &job))
				return 2;
			pid_t pid = fork();
			if (pid == 0) {
				run_job(&job);
				report(&child_ctx);
				_exit(0);
			}
			int status;
			if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
				return 2;
		} else if (parse_job(s, &job) == 0) {
			run_job(&job);
		} else {
			fprintf(stderr, "two_savers: bad step \"%s\"\n", s);
			return 2;
		}
	}
	report(&thread_ctx);
	report(&main_ctx);
	return 0;
}
