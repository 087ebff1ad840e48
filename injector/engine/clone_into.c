/*
 * clone3 into a cgroup (clone_into.h).  glibc has no clone3 wrapper, and a
 * child given a stack of its own starts there with nothing to return to,
 * so the system call is made in assembly that, in the child, calls FN and
 * exits with its value, as glibc's clone() does.  x86_64 only, as
 * sysfault is.
 */
#include "engine/clone_into.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>

#if !defined(__x86_64__)
#error "clone_into.c makes a raw x86_64 clone3; sysfault traces x86_64 hosts only"
#endif

pid_t sf_clone_into(int cgroup_fd, void *stack, size_t stack_size, int (*fn)(void *), void *arg)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP | (stack ? CLONE_VM : 0),
		.exit_signal = SIGCHLD,
		.stack = (uint64_t)(uintptr_t)stack,
		.stack_size = stack ? stack_size : 0,
		.cgroup = (uint64_t)cgroup_fd,
	};
	register long r8 __asm__("r8") = (long)fn;
	register long r9 __asm__("r9") = (long)arg;
	long ret;

	if (cgroup_fd < 0)
		return -EBADF;
	/*
	 * The child gets the parent's registers but rax (0) and, with a
	 * stack, rsp (its top).  Without one it runs on its copy of this
	 * frame, where the red zone may hold live values: aligning down
	 * moves below it, and the child never comes back to this frame.
	 */
	__asm__ volatile("syscall\n\t"
			 "testq %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "subq $128, %%rsp\n\t"
			 "andq $-16, %%rsp\n\t"
			 "xorl %%ebp, %%ebp\n\t"   /* the outermost frame, for unwinders */
			 "movq %%r9, %%rdi\n\t"
			 "callq *%%r8\n\t"
			 "movl %%eax, %%edi\n\t"
			 "movl %[exit], %%eax\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "=a"(ret)
			 : "0"((long)SYS_clone3), "D"(&args), "S"(sizeof(args)), "r"(r8), "r"(r9),
			   [exit] "i"(SYS_exit)
			 : "rcx", "r11", "memory");
	return (pid_t)ret;
}
