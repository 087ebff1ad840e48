/*
 * demo_copy: copies SRC to DST in chunks of CHUNK bytes (default 4096) the
 * way careful programs do: retries interrupted and short writes, and reports
 * any failure plainly on stderr ("copy: write failed: No space left on
 * device"), removing the partial copy and exiting 1.  Used by `make demo`.
 * Usage: demo_copy SRC DST [CHUNK]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *what, const char *dst)
{
	fprintf(stderr, "copy: %s failed: %s\n", what, strerror(errno));
	if (dst)
		unlink(dst);
	return 1;
}

/* write() may write less than asked, or be interrupted: loop until done. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: demo_copy SRC DST [CHUNK]\n");
		return 2;
	}
	size_t chunk = argc == 4 ? strtoul(argv[3], NULL, 10) : 4096;
	char *buf = malloc(chunk ? chunk : 1);
	int in = open(argv[1], O_RDONLY);
	if (!buf || in < 0)
		return fail("open", NULL);
	int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		return fail("create", NULL);
	long long total = 0;
	for (;;) {
		ssize_t n = read(in, buf, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail("read", argv[2]);
		if (n == 0)
			break;
		if (write_all(out, buf, n) < 0)
			return fail("write", argv[2]);
		total += n;
	}
	if (close(out) < 0)
		return fail("close", argv[2]);
	printf("copy: %lld bytes copied\n", total);
	return 0;
}
