/* Workloads (a) and (b) of tests/bench/run.sh: 20 000 getppid calls, nothing else
 * but the C runtime's start-up, so every selected call is a tracer stop.
 * syscall(2) and not getppid(3): the call must reach the kernel every time. */
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 20000; i++)
		syscall(SYS_getppid);
	return 0;
}
