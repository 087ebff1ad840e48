/*
 * stateful: a command whose second run differs from its first, as `cp a b`,
 * `mkdir`, sqlite's "create table" and test suites that bind a fixed port
 * do.  Prints what it saw on stdout; a failure is one line on stderr and
 * exit 1.
 *   stateful [TMPNAME]  in the working directory: reads the counter in
 *     "state", creates "done" (O_EXCL: "File exists" if a run left it),
 *     appends to "log", writes "state" anew (state.tmp, then rename); with
 *     TMPNAME also creates /tmp/TMPNAME (O_EXCL)
 *   stateful listen PORT  binds 127.0.0.1:PORT, calls getppid 4 times (points
 *     for a rule that changes nothing), holds the port 200 ms
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "stateful: %s: %s\n", what, strerror(errno));
	return 1;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_counter(long *value)
{
	char buf[32];
	int fd = open("state", O_RDONLY);

	if (fd < 0)
		return fail("state");
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return fail("reading state");
	buf[n] = 0;
	*value = strtol(buf, NULL, 10);
	return 0;
}

/* O_EXCL: what a command that makes its output once does (cp -n, mkdir, "create table"). */
static int create_once(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd < 0)
		return fail(path);
	close(fd);
	return 0;
}

static int append_log(long value)
{
	char line[64];
	int fd = open("log", O_WRONLY | O_CREAT | O_APPEND, 0644);

	if (fd < 0)
		return fail("log");
	int n = snprintf(line, sizeof(line), "run with state %ld\n", value);
	int rc = write_all(fd, line, (size_t)n);
	close(fd);
	return rc < 0 ? fail("writing log") : 0;
}

static int write_counter(long value)
{
	char text[32];
	int fd = open("state.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return fail("state.tmp");
	int n = snprintf(text, sizeof(text), "%ld\n", value);
	int rc = write_all(fd, text, (size_t)n);
	close(fd);
	if (rc < 0)
		return fail("writing state.tmp");
	return rename("state.tmp", "state") < 0 ? fail("renaming state.tmp") : 0;
}

static int in_cwd(const char *tmpname)
{
	char path[512];
	long value = 0;

	if (read_counter(&value) || create_once("done") || append_log(value) || write_counter(value + 1))
		return 1;
	if (tmpname) {
		snprintf(path, sizeof(path), "/tmp/%s", tmpname);
		if (create_once(path))
			return 1;
	}
	printf("state %ld\n", value);
	return 0;
}

static int listen_on(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	struct timespec hold = { 0, 200 * 1000 * 1000 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return fail("socket");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return fail("bind");
	if (listen(fd, 1) < 0)
		return fail("listen");
	for (int i = 0; i < 4; i++)
		syscall(SYS_getppid);
	nanosleep(&hold, NULL);
	printf("listened on %d\n", port);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "listen"))
		return listen_on(atoi(argv[2]));
	if (argc > 2) {
		fprintf(stderr, "usage: stateful [TMPNAME] | stateful listen PORT\n");
		return 2;
	}
	return in_cwd(argc == 2 ? argv[1] : NULL);
}
