/*
 * short_io: one transfer on FILE, then what the program can observe of it,
 * for short= and poke_enter=/poke_exit=.  Calls are made with the raw
 * syscall instruction, so the report can also say whether the argument
 * registers came back as the ABI promises ("regs=kept": x86_64 keeps all
 * but rax, rcx and r11; int $0x80 all but eax).  The report goes out in one
 * write at the end, retried when short, so a rule on write with when=1
 * acts on the transfer itself.  Data is the pattern 'A' + i % 26.
 *   write FILE     write(fd, 1000 bytes):  "write ret=R regs=kept", then
 *                  "file size=S content=ok|bad" (the first S bytes of the pattern)
 *   read FILE      FILE is made with 1000 bytes; read(fd, buf, 1000):
 *                  "read ret=R regs=kept data=ok|bad"
 *   readv FILE     FILE is made; readv of 3 vectors of 10, 20, 30 bytes:
 *                  "readv ret=R regs=kept data=ok|bad iov=10,20,30 bases=ok|moved"
 *                  (the program's iovec array after the call)
 *   writev FILE    writev of "a" x 10, "b" x 20, "c" x 30: "writev ret=R
 *                  regs=kept iov=.. bases=..", then "file size=S content=ok|bad"
 *   poke_write FILE   write(fd, "hello\n", 6): "poke_write ret=R buf=B", then
 *                  "file text=T" (B, T: the bytes as text, \n as '.')
 *   poke_read FILE    FILE holds "hello\n"; read(fd, buf, 6) into "......":
 *                  "poke_read ret=R buf=B"
 *   bad_poke FILE  write(fd, (void *)1, 0) twice, then write(fd, "ok\n", 3):
 *                  "bad 1 ret=R", "bad 2 ret=R", "good ret=R"
 *   i386_write, i386_readv, i386_writev FILE: as write, readv, writev, by
 *                  int $0x80 from this 64-bit process (32-bit iovec, buffers
 *                  below 4 GiB, high halves of the registers poisoned);
 *                  "int80 unsupported" where the kernel has no i386 ABI
 * ret is the raw result: -errno for a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static char out[8192];
static size_t out_len;

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, ap);
	va_end(ap);
	if (n > 0 && out_len + (size_t)n < sizeof(out))
		out_len += (size_t)n;
}

/* The report: a careful writer, so that short= on write cannot cut it. */
static int flush(void)
{
	for (size_t done = 0; done < out_len;) {
		ssize_t n = write(1, out + done, out_len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 3;
		done += (size_t)n;
	}
	return 0;
}

static void fill(char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('A' + i % 26);
}

static bool is_pattern(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (char)('A' + i % 26))
			return false;
	return true;
}

static int make_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pwrite(fd, data, len, 0) != (ssize_t)len)
		exit(5);
	return fd;
}

/* FILE's size and whether its bytes are WANT's first ones. */
static void say_file(const char *path, const char *want, size_t want_len)
{
	char got[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : pread(fd, got, sizeof(got), 0);
	bool is_ok = n >= 0 && (size_t)n <= want_len && !memcmp(got, want, (size_t)n);
	say("file size=%zd content=%s\n", n, is_ok ? "ok" : "bad");
	if (fd >= 0)
		close(fd);
}

/* Bytes as text: '\n' as '.', so a line holds them. */
static const char *text(const char *buf, size_t len)
{
	static char s[64];
	size_t i;
	for (i = 0; i < len && i < sizeof(s) - 1; i++)
		s[i] = buf[i] == '\n' ? '.' : buf[i];
	s[i] = '\0';
	return s;
}

#if defined(__x86_64__)
/* A raw x86_64 call; *KEPT: every argument register came back as it went in. */
static long raw(long nr, long a1, long a2, long a3, bool *kept)
{
	long ret = nr, di = a1, si = a2, dx = a3;
	register long r10 __asm__("r10") = 0x1010101010;
	register long r8 __asm__("r8") = 0x0808080808;
	register long r9 __asm__("r9") = 0x0909090909;

	__asm__ volatile("syscall"
			 : "+a"(ret), "+D"(di), "+S"(si), "+d"(dx), "+r"(r10), "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory");
	*kept = di == a1 && si == a2 && dx == a3 && r10 == 0x1010101010 && r8 == 0x0808080808 &&
		r9 == 0x0909090909;
	return ret;
}
#else
static long raw(long nr, long a1, long a2, long a3, bool *kept)
{
	*kept = true;
	long r = syscall(nr, a1, a2, a3);
	return r < 0 ? -errno : r;
}
#endif

static const char *kept_word(bool kept)
{
	return kept ? "kept" : "changed";
}

static void do_write(const char *path)
{
	static char buf[1000];
	bool kept;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		exit(5);
	fill(buf, sizeof(buf));
	long r = raw(SYS_write, fd, (long)buf, sizeof(buf), &kept);
	say("write ret=%ld regs=%s\n", r, kept_word(kept));
	close(fd);
	say_file(path, buf, sizeof(buf));
}

static void do_read(const char *path)
{
	static char data[1000], buf[1000];
	bool kept;
	fill(data, sizeof(data));
	int fd = make_file(path, data, sizeof(data));
	long r = raw(SYS_read, fd, (long)buf, sizeof(buf), &kept);
	say("read ret=%ld regs=%s data=%s\n", r, kept_word(kept),
	    r >= 0 && is_pattern(buf, (size_t)r) ? "ok" : "bad");
	close(fd);
}

/* The program's iovec array after the call: its lengths, and whether its bases stayed. */
static void say_iov(const struct iovec *iov, char *const bases[3])
{
	say(" iov=%zu,%zu,%zu bases=%s\n", iov[0].iov_len, iov[1].iov_len, iov[2].iov_len,
	    iov[0].iov_base == bases[0] && iov[1].iov_base == bases[1] && iov[2].iov_base == bases[2]
	    ? "ok" : "moved");
}

static void do_readv(const char *path)
{
	static char data[60], a[10], b[20], c[30], got[60];
	char *const bases[3] = { a, b, c };
	struct iovec iov[3] = { { a, 10 }, { b, 20 }, { c, 30 } };
	bool kept;
	fill(data, sizeof(data));
	int fd = make_file(path, data, sizeof(data));
	long r = raw(SYS_readv, fd, (long)iov, 3, &kept);
	memcpy(got, a, 10);
	memcpy(got + 10, b, 20);
	memcpy(got + 30, c, 30);
	say("readv ret=%ld regs=%s data=%s", r, kept_word(kept),
	    r >= 0 && is_pattern(got, (size_t)r) ? "ok" : "bad");
	say_iov(iov, bases);
	close(fd);
}

static void do_writev(const char *path)
{
	static char a[10], b[20], c[30], want[60];
	char *const bases[3] = { a, b, c };
	struct iovec iov[3] = { { a, 10 }, { b, 20 }, { c, 30 } };
	bool kept;
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	memset(c, 'c', sizeof(c));
	memcpy(want, a, 10);
	memcpy(want + 10, b, 20);
	memcpy(want + 30, c, 30);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		exit(5);
	long r = raw(SYS_writev, fd, (long)iov, 3, &kept);
	say("writev ret=%ld regs=%s", r, kept_word(kept));
	say_iov(iov, bases);
	close(fd);
	say_file(path, want, sizeof(want));
}

static void do_poke_write(const char *path)
{
	static char buf[] = "hello\n";
	char got[16] = "";
	bool kept;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		exit(5);
	long r = raw(SYS_write, fd, (long)buf, 6, &kept);
	say("poke_write ret=%ld buf=%s\n", r, text(buf, 6));
	ssize_t n = pread(fd, got, sizeof(got), 0);
	say("file text=%s\n", text(got, n > 0 ? (size_t)n : 0));
	close(fd);
}

static void do_poke_read(const char *path)
{
	char buf[7] = "......";
	bool kept;
	int fd = make_file(path, "hello\n", 6);
	long r = raw(SYS_read, fd, (long)buf, 6, &kept);
	say("poke_read ret=%ld buf=%s\n", r, text(buf, 6));
	close(fd);
}

static void do_bad_poke(const char *path)
{
	bool kept;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		exit(5);
	for (int i = 1; i <= 2; i++)
		say("bad %d ret=%ld\n", i, raw(SYS_write, fd, 1, 0, &kept));
	say("good ret=%ld\n", raw(SYS_write, fd, (long)"ok\n", 3, &kept));
	close(fd);
}

#if defined(__x86_64__)
/* i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define I386_READ 3
#define I386_WRITE 4
#define I386_READV 145
#define I386_WRITEV 146

/* The high halves the kernel must leave alone: an i386 call reads only the low ones. */
#define POISON_HIGH 0xa5a5a5a500000000ull

static sigjmp_buf no_ia32;

static void on_fault(int sig)
{
	siglongjmp(no_ia32, sig);
}

static long int80(long nr, uint32_t a1, uint32_t a2, uint32_t a3, bool *kept)
{
	long ret = nr;
	uint64_t b = POISON_HIGH | a1, c = POISON_HIGH | a2, d = POISON_HIGH | a3;

	__asm__ volatile("int $0x80"
			 : "+a"(ret), "+b"(b), "+c"(c), "+d"(d)
			 :
			 : "r8", "r9", "r10", "r11", "memory");
	*kept = b == (POISON_HIGH | a1) && c == (POISON_HIGH | a2) && d == (POISON_HIGH | a3);
	return (int32_t)ret;
}

/* Memory an i386 call can point to: below 4 GiB. */
static char *low(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (p == MAP_FAILED)
		exit(6);
	return p;
}

struct iovec32 {
	uint32_t base, len;
};

static void i386_write(const char *path)
{
	char *buf = low(1000);
	bool kept;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		exit(5);
	fill(buf, 1000);
	long r = int80(I386_WRITE, (uint32_t)fd, (uint32_t)(uintptr_t)buf, 1000, &kept);
	say("write ret=%ld regs=%s\n", r, kept_word(kept));
	close(fd);
	say_file(path, buf, 1000);
}

static void say_iov32(const struct iovec32 *iov, char *const bases[3])
{
	say(" iov=%u,%u,%u bases=%s\n", iov[0].len, iov[1].len, iov[2].len,
	    iov[0].base == (uintptr_t)bases[0] && iov[1].base == (uintptr_t)bases[1] &&
	    iov[2].base == (uintptr_t)bases[2] ? "ok" : "moved");
}

static void i386_readv(const char *path)
{
	char data[60], *mem = low(4096), *got = mem + 1024;
	char *const bases[3] = { mem, mem + 10, mem + 30 };
	struct iovec32 *iov = (struct iovec32 *)(mem + 2048);
	bool kept;
	fill(data, sizeof(data));
	int fd = make_file(path, data, sizeof(data));
	for (int i = 0; i < 3; i++)
		iov[i] = (struct iovec32){ (uint32_t)(uintptr_t)bases[i], (uint32_t)(10 * (i + 1)) };
	long r = int80(I386_READV, (uint32_t)fd, (uint32_t)(uintptr_t)iov, 3, &kept);
	memcpy(got, mem, 60);   /* the vectors are contiguous */
	say("readv ret=%ld regs=%s data=%s", r, kept_word(kept),
	    r >= 0 && is_pattern(got, (size_t)r) ? "ok" : "bad");
	say_iov32(iov, bases);
	close(fd);
}

static void i386_writev(const char *path)
{
	char *mem = low(4096);
	char *const bases[3] = { mem, mem + 10, mem + 30 };
	struct iovec32 *iov = (struct iovec32 *)(mem + 2048);
	bool kept;
	memset(mem, 'a', 10);
	memset(mem + 10, 'b', 20);
	memset(mem + 30, 'c', 30);
	for (int i = 0; i < 3; i++)
		iov[i] = (struct iovec32){ (uint32_t)(uintptr_t)bases[i], (uint32_t)(10 * (i + 1)) };
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		exit(5);
	long r = int80(I386_WRITEV, (uint32_t)fd, (uint32_t)(uintptr_t)iov, 3, &kept);
	say("writev ret=%ld regs=%s", r, kept_word(kept));
	say_iov32(iov, bases);
	close(fd);
	say_file(path, mem, 60);
}

/* Runs FN if this kernel makes int $0x80 calls (a getpid first: it faults where not). */
static void run_i386(void (*fn)(const char *), const char *path)
{
	bool kept;
	signal(SIGSEGV, on_fault);
	signal(SIGILL, on_fault);
	if (sigsetjmp(no_ia32, 1)) {
		say("int80 unsupported\n");
		return;
	}
	int80(20, 0, 0, 0, &kept);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	fn(path);
}
#endif

int main(int argc, char **argv)
{
	static const struct { const char *name; void (*fn)(const char *); } modes[] = {
		{ "write", do_write }, { "read", do_read }, { "readv", do_readv },
		{ "writev", do_writev }, { "poke_write", do_poke_write },
		{ "poke_read", do_poke_read }, { "bad_poke", do_bad_poke },
	};
	if (argc != 3) {
		fprintf(stderr, "usage: short_io MODE FILE\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i].name)) {
			modes[i].fn(argv[2]);
			return flush();
		}
#if defined(__x86_64__)
	if (!strcmp(argv[1], "i386_write"))
		run_i386(i386_write, argv[2]);
	else if (!strcmp(argv[1], "i386_readv"))
		run_i386(i386_readv, argv[2]);
	else if (!strcmp(argv[1], "i386_writev"))
		run_i386(i386_writev, argv[2]);
	else
		return 2;
#else
	if (strncmp(argv[1], "i386_", 5))
		return 2;
	say("int80 unsupported\n");
#endif
	return flush();
}
