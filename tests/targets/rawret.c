/*
 * rawret: makes N getppid calls through the bare syscall instruction and
 * prints the whole return register, so an injected retval can be checked to
 * the last bit: "getppid I raw=0x%016lx" (libc would turn -4095..-1 into
 * errno; this does not).
 * Usage: rawret N
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long raw_getppid(void)
{
#if defined(__x86_64__)
	unsigned long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register unsigned long x8 __asm__("x8") = SYS_getppid;
	register unsigned long x0 __asm__("x0");
	__asm__ volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory");
	return x0;
#else
	return (unsigned long)syscall(SYS_getppid);
#endif
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	unsigned long raw[64];

	if (n < 1 || n > 64)
		return 2;
	for (int i = 0; i < n; i++)
		raw[i] = raw_getppid();
	for (int i = 0; i < n; i++)
		printf("getppid %d raw=0x%016lx\n", i + 1, raw[i]);
	return 0;
}
