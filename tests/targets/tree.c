/*
 * tree: a large tree of processes, each making K getppid calls (through
 * syscall(), so no libc cache hides one) and checking what it observed
 * against an expected pattern.
 *
 * Usage: tree fanout|chain|forkchain N EXPECT [TAG]
 *   N       processes in all, the first one included (1..4096)
 *   EXPECT  comma-separated outcome of each call, e.g. "ok,EIO,ok": "ok" is a
 *           success returning the real parent's pid, an errno name a failure
 *           with that errno; K is the number of words
 *   TAG     ignored; in the argv of every process of the tree, so a test can
 *           find leftovers in /proc/PID/cmdline
 *
 *   fanout: process 0 makes its K calls, then forks processes 1..N-1.  Every
 *           child blocks reading a pipe until process 0 closes it after the
 *           last fork (so all N are alive at once), then makes its K calls,
 *           reports and exits.  Process 0 reaps them all.
 *   chain:  process I makes its K calls, forks process I+1 (down to depth
 *           N-1), waits for it, then reports: the deepest reports first.
 *           Every 10th level (EXEC_EVERY) execs this program again
 *           before its calls (argv[5] "@DEPTH:FD:PARENT" tells it where it
 *           stands), the others carry on in the forked copy: in a chain of
 *           plain forks the kernel's fork gets slower with depth (each new
 *           mm is linked to every ancestor's anon_vma), 1000 levels took
 *           20-30 s with no tracer on 2 loaded cores, against 4-6 s with an
 *           exec every 10 levels (10 s with an exec at every level).
 *   forkchain: the same without any exec, to measure that.
 *
 * Each process reports one line "I pid=P OUTCOME,OUTCOME,..." (one write()
 * with O_APPEND to a file shared by the whole tree).  Process 0 collects the
 * lines once every process ended, prints each line that differs from EXPECT
 * ("bad I pid=P OUTCOMES", the first 20 of them) and then one summary line:
 *   "fanout N ok=A bad=B errors=E reported=R"
 * ok: processes that observed exactly EXPECT; bad = N - ok (a process that
 * did not report is bad); errors: calls over the whole tree whose outcome
 * was not "ok"; reported: lines collected.  Exit status 0 when every fork,
 * exec and wait succeeded and every child exited 0 (whatever the outcomes),
 * 2 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PROCS 4096
#define MAX_CALLS 16
#define WORD 32
#ifndef EXEC_EVERY
#define EXEC_EVERY 10   /* chain: every 10th level is exec'd */
#endif
#define LINE (MAX_CALLS * (WORD + 1) + 64)

static int n_calls;
static char expect[MAX_CALLS][WORD];
static int report_fd;

static void fail(const char *what)
{
	fprintf(stderr, "tree: %s: %s\n", what, strerror(errno));
	fflush(stderr);
	_exit(2);
}

/* Makes the K calls; LINE gets "INDEX pid=P OUTCOMES\n"; returns its length. */
static int observe(char *line, size_t size, int index, pid_t parent)
{
	long ret[MAX_CALLS];
	int err[MAX_CALLS];

	for (int i = 0; i < n_calls; i++) {
		errno = 0;
		ret[i] = syscall(SYS_getppid);
		err[i] = ret[i] == -1 ? errno : 0;
	}
	int len = snprintf(line, size, "%d pid=%d ", index, (int)getpid());
	for (int i = 0; i < n_calls; i++) {
		const char *sep = i ? "," : "";
		const char *name = err[i] ? strerrorname_np(err[i]) : NULL;
		if (err[i])
			len += snprintf(line + len, size - len, "%s%s", sep, name ? name : "E?");
		else if (ret[i] == parent)
			len += snprintf(line + len, size - len, "%sok", sep);
		else
			len += snprintf(line + len, size - len, "%sret=%ld", sep, ret[i]);
	}
	line[len++] = '\n';
	return len;
}

/* The parent's pid without a getppid call, which would count as one. */
static pid_t parent_pid(void)
{
	char buf[512];
	int ppid = -1;
	FILE *f = fopen("/proc/self/stat", "r");
	if (f && fgets(buf, sizeof(buf), f)) {
		char *end = strrchr(buf, ')');
		if (!end || sscanf(end + 1, " %*c %d", &ppid) != 1)
			ppid = -1;
	}
	if (f)
		fclose(f);
	if (ppid < 0) {
		fprintf(stderr, "tree: cannot read the ppid from /proc/self/stat\n");
		_exit(2);
	}
	return ppid;
}

static void report(const char *line, int len)
{
	if (write(report_fd, line, len) != len)
		fail("write report");
}

static int reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fail("waitpid");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int fanout(int n)
{
	static pid_t kids[MAX_PROCS];
	char line[LINE];
	int gate[2];
	int all_fine = 1;
	pid_t pid0 = getpid();

	/* process 0 calls first: its children must count from zero */
	report(line, observe(line, sizeof(line), 0, parent_pid()));
	if (pipe(gate))
		fail("pipe");
	for (int i = 1; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			fail("fork");
		if (pid == 0) {
			char c;
			close(gate[1]);
			while (read(gate[0], &c, 1) < 0 && errno == EINTR)
				;
			report(line, observe(line, sizeof(line), i, pid0));
			_exit(0);
		}
		kids[i] = pid;
	}
	close(gate[1]);
	close(gate[0]);
	for (int i = 1; i < n; i++)
		all_fine &= reap(kids[i]);
	return all_fine;
}

/*
 * Process DEPTH of a chain of N: calls first, then the fork (the child must
 * count from zero although its parent already made K calls); the child
 * carries on in the copy, or execs this program again when EXEC and its
 * depth is a multiple of EXEC_EVERY.  Returns
 * whether every process below ended well; only process 0 returns.
 */
static int chain(int n, int depth, pid_t parent, int exec, char **argv)
{
	char line[LINE];

	for (;; depth++) {
		int len = observe(line, sizeof(line), depth, parent);
		if (depth + 1 == n) {
			report(line, len);
			if (depth > 0)
				_exit(0);
			return 1;
		}
		pid_t self = getpid();
		pid_t pid = fork();
		if (pid < 0)
			fail("fork");
		if (pid == 0 && !(exec && (depth + 1) % EXEC_EVERY == 0)) {
			parent = self;
			continue;
		}
		if (pid == 0) {
			char level[64];
			snprintf(level, sizeof(level), "@%d:%d:%d", depth + 1, report_fd, (int)self);
			char *args[] = { argv[0], argv[1], argv[2], argv[3], argv[4], level, NULL };
			execv("/proc/self/exe", args);
			fail("execv /proc/self/exe");
		}
		int fine = reap(pid);
		report(line, len);
		if (depth > 0)
			_exit(fine ? 0 : 2);
		return fine;
	}
}

int main(int argc, char **argv)
{
	if (argc < 4 || (strcmp(argv[1], "fanout") && strcmp(argv[1], "chain") &&
			 strcmp(argv[1], "forkchain"))) {
		fprintf(stderr, "usage: tree fanout|chain|forkchain N EXPECT [TAG]\n");
		return 2;
	}
	int n = atoi(argv[2]);
	if (n < 1 || n > MAX_PROCS)
		return 2;
	char *words = strdup(argv[3]);
	for (char *save = NULL, *w = strtok_r(words, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (n_calls == MAX_CALLS || strlen(w) >= WORD)
			return 2;
		strcpy(expect[n_calls++], w);
	}
	char expected[MAX_CALLS * (WORD + 1)] = "";
	for (int i = 0; i < n_calls; i++)
		snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected),
			 "%s%s", i ? "," : "", expect[i]);

	/* a level of a chain, exec'd by its parent: "@DEPTH:FD:PARENT" */
	int depth, parent;
	if (argc > 5 && sscanf(argv[5], "@%d:%d:%d", &depth, &report_fd, &parent) == 3)
		return chain(n, depth, parent, 1, argv), 0;

	FILE *report = tmpfile();
	if (!report)
		fail("tmpfile");
	report_fd = fileno(report);
	if (fcntl(report_fd, F_SETFL, O_APPEND) < 0 || fcntl(report_fd, F_SETFD, 0) < 0)
		fail("fcntl");
	fflush(stdout);

	char *args[] = { argv[0], argv[1], argv[2], argv[3], argc > 4 ? argv[4] : "-", NULL };
	int fine = !strcmp(argv[1], "fanout") ? fanout(n)
		 : chain(n, 0, parent_pid(), !strcmp(argv[1], "chain"), args);

	/* collect */
	static char seen[MAX_PROCS];
	int ok = 0, errors = 0, reported = 0, shown = 0;
	char line[1024];
	rewind(report);
	while (fgets(line, sizeof(line), report)) {
		int index, pid, used = 0;
		if (sscanf(line, "%d pid=%d %n", &index, &pid, &used) != 2 || !used ||
		    index < 0 || index >= n) {
			printf("garbled report: %s", line);
			continue;
		}
		reported++;
		char *outcomes = line + used;
		outcomes[strcspn(outcomes, "\n")] = 0;
		for (char *s = outcomes; *s; ) {
			size_t w = strcspn(s, ",");
			if (w != 2 || strncmp(s, "ok", 2))
				errors++;
			s += w + (s[w] == ',');
		}
		if (seen[index]++) {
			printf("duplicate report: %d pid=%d %s\n", index, pid, outcomes);
			continue;
		}
		if (!strcmp(outcomes, expected))
			ok++;
		else if (shown++ < 20)
			printf("bad %d pid=%d %s\n", index, pid, outcomes);
	}
	printf("%s %d ok=%d bad=%d errors=%d reported=%d\n", argv[1], n, ok, n - ok, errors, reported);
	return fine ? 0 : 2;
}
