/*
 * int80: from a 64-bit x86 process, makes i386-ABI system calls through
 * `int $0x80` next to native ones, to show that a rule naming an x86_64
 * syscall never acts on an i386 call that shares its number (or the reverse).
 * Prints:
 *   "pid=P"                           from /proc/self (no getpid call)
 *   "i386_getpid ret=R"               i386 nr 20 (x86_64 nr 20 is writev)
 *   "i386_mkdir ret=R"                i386 nr 39 with a NULL path: -EFAULT
 *                                     (x86_64 nr 39 is getpid)
 *   "native_getpid ret=R [errno=E]"   x86_64 getpid
 * or "int80 unsupported" when this machine cannot run i386 calls.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
static sigjmp_buf no_ia32;

static void on_fault(int sig)
{
	siglongjmp(no_ia32, sig);
}

static long int80(long nr, long arg1)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(arg1) : "memory");
	return ret;
}

int main(void)
{
	char self[64] = "";
	ssize_t n = readlink("/proc/self", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	printf("pid=%s\n", self);

	signal(SIGSEGV, on_fault);
	signal(SIGILL, on_fault);
	if (sigsetjmp(no_ia32, 1)) {
		printf("int80 unsupported\n");
		return 0;
	}
	long i386_getpid = int80(20, 0);
	long i386_mkdir = int80(39, 0);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	printf("i386_getpid ret=%ld\n", i386_getpid);
	printf("i386_mkdir ret=%ld\n", i386_mkdir);
	errno = 0;
	long native = syscall(SYS_getpid);
	if (native == -1)
		printf("native_getpid ret=-1 errno=%s\n", strerrorname_np(errno));
	else
		printf("native_getpid ret=%ld\n", native);
	return 0;
}
#else
int main(void)
{
	printf("int80 unsupported\n");
	return 0;
}
#endif
