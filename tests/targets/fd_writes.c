/*
 * fd_writes: ROUNDS rounds of NOISE one-byte writes to fd 3 (/dev/null),
 * then one write of "data I\n" to fd 1; then reports what each write to
 * fd 1 returned and what the writes to fd 3 cost, in one writev() (so a
 * rule on write never meets the report):
 *   "write I ret=R"  or  "write I ret=-1 errno=ENAME"   (I counts from 1)
 *   "noise writes=N failed=F nvcsw=C"
 * C is the voluntary context switches of the thread during the writes to
 * fd 3 (getrusage RUSAGE_THREAD): a write to /dev/null never sleeps, but a
 * stop for a tracer does, so C counts the stops those writes made.
 * Usage: fd_writes ROUNDS NOISE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <unistd.h>

static char out[1 << 16];
static size_t out_len;

static void say(const char *line)
{
	size_t n = strlen(line);

	if (out_len + n < sizeof(out)) {
		memcpy(out + out_len, line, n);
		out_len += n;
	}
}

int main(int argc, char **argv)
{
	char line[128];
	long noise_failed = 0, nvcsw = 0;

	if (argc != 3)
		return 2;
	int rounds = atoi(argv[1]), noise = atoi(argv[2]);
	int null = open("/dev/null", O_WRONLY);
	if (null < 0 || (null != 3 && dup2(null, 3) != 3))
		return 2;
	for (int i = 1; i <= rounds; i++) {
		struct rusage before, after;
		getrusage(RUSAGE_THREAD, &before);
		for (int j = 0; j < noise; j++)
			noise_failed += write(3, "x", 1) != 1;
		getrusage(RUSAGE_THREAD, &after);
		nvcsw += after.ru_nvcsw - before.ru_nvcsw;
		int n = snprintf(line, sizeof(line), "data %d\n", i);
		errno = 0;
		ssize_t r = write(1, line, (size_t)n);
		if (r < 0)
			snprintf(line, sizeof(line), "write %d ret=-1 errno=%s\n", i, strerrorname_np(errno));
		else
			snprintf(line, sizeof(line), "write %d ret=%zd\n", i, r);
		say(line);
	}
	snprintf(line, sizeof(line), "noise writes=%ld failed=%ld nvcsw=%ld\n",
		 (long)rounds * noise, noise_failed, nvcsw);
	say(line);
	for (size_t off = 0; off < out_len;) {
		struct iovec iov = { out + off, out_len - off };
		ssize_t r = writev(1, &iov, 1);
		if (r <= 0 && !(r < 0 && errno == EINTR))
			return 3;
		off += r > 0 ? (size_t)r : 0;
	}
	return 0;
}
