/*
 * calls: makes COUNT calls of each syscall named, in turn, and reports what
 * each returned, one line per call, after all the calls were made:
 *   "NAME I ret=R"  or  "NAME I ret=-1 errno=ENAME"   (I counts from 1 per syscall)
 * Usage: calls [-p] [-t] [-k KIND] NAME[,NAME...] COUNT
 *   -t  adds " us=T" to each line, the call's wall time in microseconds
 *   -p  adds a last line "pid=P ppid=Q"
 *   -k  what read, write and their kin work on: null (/dev/null, the
 *       default), file (a regular file), pipe or socket (with data waiting
 *       to be read, so that reads never block)
 * The report goes out with write(), or writev() when write is observed, and
 * retries on EINTR, so injections into the observed calls cannot garble it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static char out[1 << 20];
static size_t out_len;

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, ap);
	va_end(ap);
	if (n > 0 && out_len + n < sizeof(out))
		out_len += n;
}

static void flush_report(int avoid_write)
{
	for (size_t off = 0; off < out_len;) {
		struct iovec iov = {out + off, out_len - off};
		ssize_t r = avoid_write ? writev(1, &iov, 1) : write(1, out + off, out_len - off);
		if (r <= 0 && !(r < 0 && errno == EINTR))
			_exit(3);
		off += r > 0 ? r : 0;
	}
}

/* Opened on first use: a run observing openat makes no openat of its own. */
static int fd_devnull(void)
{
	static int fd = -1;
	return fd >= 0 ? fd : (fd = open("/dev/null", O_RDWR));
}

static const char *io_kind = "null";

/* A descriptor pair of the kind -k names: [0] to read from, [1] to write to. */
static int fd_io(int for_write)
{
	static int fds[2] = {-1, -1};
	static char filler[4096];

	if (fds[0] >= 0)
		return fds[for_write];
	if (!strcmp(io_kind, "file")) {
		fds[0] = fds[1] = open("/tmp", O_TMPFILE | O_RDWR, 0600);
	} else if (!strcmp(io_kind, "pipe")) {
		if (pipe(fds) == 0 && write(fds[1], filler, sizeof(filler)) < 0)
			_exit(3);
	} else if (!strcmp(io_kind, "socket")) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && write(sv[1], filler, sizeof(filler)) < 0)
			_exit(3);
		fds[0] = fds[1] = sv[0];
	} else {
		fds[0] = fds[1] = fd_devnull();
	}
	return fds[for_write];
}

static int fd_file(void)       /* a real file, for fsync and fdatasync */
{
	static int fd = -1;
	return fd >= 0 ? fd : (fd = open("/tmp", O_TMPFILE | O_RDWR, 0600));
}

static int fd_socket(void)     /* one end of a connected pair, for send and recv */
{
	static int sv[2] = {-1, -1};
	return sv[0] >= 0 || !socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ? sv[0] : -1;
}

static long call(const char *name)
{
	static char byte;
	struct iovec iov = {&byte, 1};
	struct sockaddr_un nowhere = {.sun_family = AF_UNIX, .sun_path = "/nonexistent/sf.sock"};
	int p[2];

	if (!strcmp(name, "getppid")) return syscall(SYS_getppid);
	if (!strcmp(name, "getpid")) return syscall(SYS_getpid);
	if (!strcmp(name, "getuid")) return syscall(SYS_getuid);
	if (!strcmp(name, "read")) return syscall(SYS_read, fd_io(0), &byte, 1);
	if (!strcmp(name, "write")) return syscall(SYS_write, fd_io(1), &byte, 1);
	if (!strcmp(name, "writev")) return syscall(SYS_writev, fd_io(1), &iov, 1);
	if (!strcmp(name, "pwrite64")) return syscall(SYS_pwrite64, fd_io(1), &byte, 1, 0);
	if (!strcmp(name, "pwritev")) return syscall(SYS_pwritev, fd_io(1), &iov, 1, 0, 0);
	if (!strcmp(name, "pwritev2")) return syscall(SYS_pwritev2, fd_io(1), &iov, 1, 0, 0, 0);
	if (!strcmp(name, "openat")) return syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	if (!strcmp(name, "close")) return syscall(SYS_close, dup(fd_devnull()));
	if (!strcmp(name, "dup")) return syscall(SYS_dup, fd_devnull());
	/* fcntl by command: F_DUPFD_CLOEXEC makes a descriptor, F_GETFL does not */
	if (!strcmp(name, "fcntl_dupfd")) return syscall(SYS_fcntl, fd_devnull(), F_DUPFD_CLOEXEC, 0);
	if (!strcmp(name, "fcntl_getfl")) return syscall(SYS_fcntl, fd_devnull(), F_GETFL);
	if (!strcmp(name, "pipe2")) return syscall(SYS_pipe2, p, O_CLOEXEC);
	if (!strcmp(name, "socket")) return syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
	if (!strcmp(name, "connect"))
		return syscall(SYS_connect, socket(AF_UNIX, SOCK_STREAM, 0), &nowhere, sizeof(nowhere));
	if (!strcmp(name, "sendto"))
		return syscall(SYS_sendto, fd_socket(), &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0);
	if (!strcmp(name, "recvfrom"))
		return syscall(SYS_recvfrom, fd_socket(), &byte, 1, MSG_DONTWAIT, NULL, NULL);
	if (!strcmp(name, "fsync")) return syscall(SYS_fsync, fd_file());
	if (!strcmp(name, "fdatasync")) return syscall(SYS_fdatasync, fd_file());
	if (!strcmp(name, "mmap"))
		return syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!strcmp(name, "brk")) return syscall(SYS_brk, 0);
	fprintf(stderr, "calls: unknown syscall %s\n", name);
	exit(2);
}

static long long now_us(void)   /* vDSO: not a system call, never counted */
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	int with_pid = 0, with_time = 0, a = 1;
	for (; a < argc && argv[a][0] == '-'; a++) {
		with_pid |= !strcmp(argv[a], "-p");
		with_time |= !strcmp(argv[a], "-t");
		if (!strcmp(argv[a], "-k") && a + 1 < argc)
			io_kind = argv[++a];
	}
	if (argc - a != 2) {
		fprintf(stderr, "usage: calls [-p] [-t] [-k KIND] NAME[,NAME...] COUNT\n");
		return 2;
	}
	char *names[32];
	int n_names = 0, observes_write = 0;
	for (char *s = strtok(argv[a], ","); s && n_names < 32; s = strtok(NULL, ",")) {
		names[n_names++] = s;
		observes_write |= !strcmp(s, "write");
	}
	int count = atoi(argv[a + 1]);

	for (int i = 1; i <= count; i++) {
		for (int k = 0; k < n_names; k++) {
			long long t0 = now_us();
			errno = 0;
			long r = call(names[k]);
			int e = errno;
			long long us = now_us() - t0;
			if (r == -1 && e)
				say("%s %d ret=-1 errno=%s", names[k], i, strerrorname_np(e));
			else
				say("%s %d ret=%ld", names[k], i, r);
			if (with_time)
				say(" us=%lld", us);
			say("\n");
		}
	}
	if (with_pid)
		say("pid=%ld ppid=%ld\n", (long)getpid(), (long)getppid());
	flush_report(observes_write);
	return 0;
}
