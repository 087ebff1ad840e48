/*
 * file_writer: writes "data\n" to FILE, syncs it and closes it, then
 * reports what each call returned (in one write, the thread's second):
 *   "write 1 ret=R", "fsync 1 ret=R", "close 1 ret=R"
 *   or "NAME 1 ret=-1 errno=ENAME"
 * The write is the thread's first: the dynamic loader writes nothing, so
 * when=1 on write selects it.  What the file holds afterwards says whether
 * the calls really ran.
 * Usage: file_writer FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char out[512];
static size_t out_len;

static void say_result(const char *what, long r, int err)
{
	int n = r == -1 ? snprintf(out + out_len, sizeof(out) - out_len, "%s 1 ret=-1 errno=%s\n",
				   what, strerrorname_np(err))
			: snprintf(out + out_len, sizeof(out) - out_len, "%s 1 ret=%ld\n", what, r);
	if (n > 0 && out_len + (size_t)n < sizeof(out))
		out_len += (size_t)n;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: file_writer FILE\n");
		return 2;
	}
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 5;
	errno = 0;
	long rc = syscall(SYS_write, fd, "data\n", 5);
	say_result("write", rc, errno);
	errno = 0;
	rc = syscall(SYS_fsync, fd);
	say_result("fsync", rc, errno);
	errno = 0;
	rc = syscall(SYS_close, fd);
	say_result("close", rc, errno);
	return write(1, out, out_len) == (ssize_t)out_len ? 0 : 3;
}
