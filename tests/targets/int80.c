/*
 * int80: from a 64-bit x86 process, makes i386-ABI system calls through
 * `int $0x80` (and x32 ones through `syscall`) next to native ones, to show
 * that each call is taken for its own ABI: a rule naming an x86_64 syscall
 * never acts on an i386 call that shares its number, nor the reverse.
 * i386 and x32 calls are made without libc: their ret is the raw -errno.
 *   int80            "pid=P"                  from /proc/self (no getpid call)
 *                    "i386_getpid ret=R"      i386 nr 20 (x86_64 nr 20 is writev)
 *                    "i386_mkdir ret=R"       i386 nr 39 with a NULL path: -EFAULT
 *                                             (x86_64 nr 39 is getpid)
 *                    "native_getpid ret=R [errno=E]"   x86_64 getpid
 *   int80 affinity   "i386_affinity ret=R cpus=N"   i386 sched_getaffinity(0, ...)
 *   int80 x32        "pid=P", "x32_getpid ret=R", then "native_getpid ..." as above
 * or "int80 unsupported" when this machine cannot run i386 calls, "x32
 * unsupported" when the kernel has no x32 ABI (CONFIG_X86_X32_ABI).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <sched.h>
#include <sys/mman.h>

/* i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define I386_GETPID 20
#define I386_MKDIR 39
#define I386_SCHED_GETAFFINITY 242

/*
 * For int $0x80 the kernel reads only the low halves of ebx, ecx, edx (and
 * never rdi, rsi, r10, r8, r9 as x86_64 arguments): poison the rest, so a
 * tracer that read the wrong registers would act on the wrong arguments.
 * The low half of POISON is above any pid_max.
 */
#define POISON_HIGH 0xa5a5a5a500000000ull
#define POISON 0x5a5a5a5a7ffffff0ull

static sigjmp_buf no_ia32;

static void on_fault(int sig)
{
	siglongjmp(no_ia32, sig);
}

static long int80(long nr, uint32_t arg1, uint32_t arg2, uint32_t arg3)
{
	long ret = nr;
	uint64_t b = POISON_HIGH | arg1, c = POISON_HIGH | arg2, d = POISON_HIGH | arg3;
	uint64_t si = POISON, di = POISON;
	register uint64_t r8 __asm__("r8") = POISON;
	register uint64_t r9 __asm__("r9") = POISON;
	register uint64_t r10 __asm__("r10") = POISON;

	/* r8-r11 were zeroed by int $0x80 before Linux 4.17: in-out operands. */
	__asm__ volatile("int $0x80"
			 : "+a"(ret), "+b"(b), "+c"(c), "+d"(d), "+S"(si), "+D"(di),
			   "+r"(r8), "+r"(r9), "+r"(r10)
			 :
			 : "r11", "memory");
	return ret;
}

static long x32_getpid(void)
{
	long ret = SYS_getpid | __X32_SYSCALL_BIT;   /* a common syscall: same number */

	__asm__ volatile("syscall" : "+a"(ret) : : "rcx", "r11", "memory");
	return ret;
}

static void print_pid(void)
{
	char self[64] = "";
	ssize_t n = readlink("/proc/self", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	printf("pid=%s\n", self);
}

static void print_native_getpid(void)
{
	errno = 0;
	long native = syscall(SYS_getpid);
	if (native == -1)
		printf("native_getpid ret=-1 errno=%s\n", strerrorname_np(errno));
	else
		printf("native_getpid ret=%ld\n", native);
}

/* i386 pointers are 32 bits: the mask must lie below 4 GiB. */
static void print_i386_affinity(void)
{
	cpu_set_t *set = mmap(NULL, sizeof(*set), PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (set == MAP_FAILED) {
		printf("i386_affinity mmap errno=%s\n", strerrorname_np(errno));
		return;
	}
	memset(set, 0, sizeof(*set));
	long ret = int80(I386_SCHED_GETAFFINITY, 0, sizeof(*set), (uint32_t)(uintptr_t)set);
	printf("i386_affinity ret=%ld cpus=%d\n", ret, ret > 0 ? CPU_COUNT_S((size_t)ret, set) : -1);
}

static int run_x32(void)
{
	long ret = x32_getpid();

	if (ret == -ENOSYS) {
		printf("x32 unsupported\n");
		return 0;
	}
	print_pid();
	printf("x32_getpid ret=%ld\n", ret);
	print_native_getpid();
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "x32"))
		return run_x32();
	signal(SIGSEGV, on_fault);
	signal(SIGILL, on_fault);
	if (sigsetjmp(no_ia32, 1)) {
		printf("int80 unsupported\n");
		return 0;
	}
	if (!strcmp(mode, "affinity")) {
		int80(I386_GETPID, 0, 0, 0);   /* faults here if there is no i386 ABI */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		print_i386_affinity();
		return 0;
	}
	print_pid();
	long i386_getpid = int80(I386_GETPID, 0, 0, 0);
	long i386_mkdir = int80(I386_MKDIR, 0, 0, 0);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	printf("i386_getpid ret=%ld\n", i386_getpid);
	printf("i386_mkdir ret=%ld\n", i386_mkdir);
	print_native_getpid();
	return 0;
}
#else
int main(int argc, char **argv)
{
	printf(argc > 1 && !strcmp(argv[1], "x32") ? "x32 unsupported\n" : "int80 unsupported\n");
	return 0;
}
#endif
