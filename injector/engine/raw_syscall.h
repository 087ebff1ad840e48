/*
 * System calls without glibc's wrappers: they return -errno and never touch
 * errno.  For code that runs in a child sharing the tracer's memory (and so
 * its thread-local errno) until its exec: see launch.c.  x86_64 only, as
 * sysfault is.
 */
#ifndef SF_RAW_SYSCALL_H
#define SF_RAW_SYSCALL_H

#if !defined(__x86_64__)
#error "raw_syscall.h makes raw x86_64 system calls; sysfault traces x86_64 hosts only"
#endif

static inline long sf_raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define sf_raw3(nr, a, b, c) sf_raw6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

#endif
