/*
 * pipe_writer: the two ends of a pipe, as a shell pipeline has them.  The
 * command forks the writer (lineage 1.1), which makes a pipe and forks the
 * reader (1.1.1).  Counted from the writer's fork, as sysfault counts:
 *   close 1  the writer's copy of the read end
 *   close 2  its write end, once "a\n" is written
 * The reader closes its own copy of the write end, reads to end of file
 * and reports; the writer waits for it.  Lines (one write() each):
 *   "close I ret=R"  or  "close I ret=-1 errno=ENAME"   (the writer's)
 *   "reader bytes=N eof"
 * If the write end stayed open the reader would wait forever.
 * Usage: pipe_writer
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void say_result(const char *what, int i, long r, int err)
{
	char line[128];
	int n = r == -1 ? snprintf(line, sizeof(line), "%s %d ret=-1 errno=%s\n", what, i, strerrorname_np(err))
			: snprintf(line, sizeof(line), "%s %d ret=%ld\n", what, i, r);
	if (write(1, line, (size_t)n) != n)
		_exit(3);
}

static void reader(int in)
{
	char buf[64], line[64];
	long total = 0;
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno != EINTR)
			_exit(4);
		total += n > 0 ? n : 0;
	}
	int len = snprintf(line, sizeof(line), "reader bytes=%ld eof\n", total);
	_exit(write(1, line, (size_t)len) == len ? 0 : 3);
}

static int writer(void)
{
	int p[2], status = 0;

	if (pipe(p) < 0)
		return 5;
	pid_t r = fork();
	if (r < 0)
		return 5;
	if (r == 0) {
		syscall(SYS_close, p[1]);
		reader(p[0]);
	}
	errno = 0;
	long rc = syscall(SYS_close, p[0]);
	say_result("close", 1, rc, errno);
	if (write(p[1], "a\n", 2) != 2)
		return 6;
	errno = 0;
	rc = syscall(SYS_close, p[1]);
	say_result("close", 2, rc, errno);
	if (waitpid(r, &status, 0) != r)
		return 7;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 8;
}

int main(void)
{
	int status = 0;
	pid_t w = fork();

	if (w < 0)
		return 5;
	if (w == 0)
		_exit(writer());
	if (waitpid(w, &status, 0) != w)
		return 7;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 8;
}
