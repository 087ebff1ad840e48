/*
 * buggy: copies IN to OUT under the settings of CONFIG, handling almost
 * every failure correctly (a message on stderr, exit 1), with three
 * planted error-path bugs for `sysfault explore` to find:
 *   - a failed open of CONFIG dereferences NULL          (crash, SIGSEGV, openat)
 *   - a read of IN failing with EINTR waits forever       (hang, read)
 *   - a failed write of OUT calls abort()                 (crash, SIGABRT, write)
 * Usage: buggy CONFIG IN OUT.  Prints "copied N bytes" on success.
 * Every file is read and written with plain open/read/write/close, in a
 * fixed order, so the calls it makes are the same in every run.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct config {
	size_t chunk;
};

static volatile sig_atomic_t resumed;

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "buggy: %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

/* Correct: retries on EINTR, reports anything else. */
static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static struct config *load_config(const char *path, struct config *storage)
{
	char text[64];
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	ssize_t n = read_all(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	text[n] = 0;
	storage->chunk = (size_t)strtoul(text, NULL, 10);
	if (storage->chunk == 0 || storage->chunk > 4096)
		storage->chunk = 4096;
	return storage;
}

/*
 * BUG (planted): after EINTR it waits for a signal handler to say "resume",
 * but no handler is ever installed, so it waits forever.
 */
static ssize_t read_chunk(int fd, char *buf, size_t size)
{
	ssize_t n = read(fd, buf, size);

	if (n < 0 && errno == EINTR) {
		while (!resumed)
			pause();
		return read(fd, buf, size);
	}
	return n;
}

/* BUG (planted): a failed write is "impossible", so it aborts. */
static void write_chunk(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0)
			abort();
		buf += n;
		len -= (size_t)n;
	}
}

int main(int argc, char **argv)
{
	struct config storage;
	char buf[4096];
	size_t total = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: buggy CONFIG IN OUT\n");
		return 2;
	}
	struct config *cfg = load_config(argv[1], &storage);
	if (!cfg && errno != ENOENT && errno != EACCES)
		return fail("cannot read config", argv[1]);
	/* BUG (planted): a missing config was thought impossible: cfg is NULL here. */
	size_t chunk = cfg->chunk;

	int in = open(argv[2], O_RDONLY);
	if (in < 0)
		return fail("cannot open", argv[2]);
	int out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		int rc = fail("cannot create", argv[3]);
		close(in);
		return rc;
	}
	for (;;) {
		ssize_t n = read_chunk(in, buf, chunk < sizeof(buf) ? chunk : sizeof(buf));
		if (n < 0)
			return fail("cannot read", argv[2]);
		if (n == 0)
			break;
		write_chunk(out, buf, (size_t)n);
		total += (size_t)n;
	}
	if (close(in) < 0)
		return fail("cannot close", argv[2]);
	if (close(out) < 0)
		return fail("cannot close", argv[3]);
	printf("copied %zu bytes\n", total);
	if (fflush(stdout) != 0 || ferror(stdout))
		return fail("cannot write", "stdout");
	return 0;
}
