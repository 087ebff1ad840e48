/*
 * delay_pair: two sibling processes run at once.  "slow" makes one getppid
 * call (the one a test delays); "fast" waits 100 ms so the slow call has
 * begun, then makes 5 getuid calls, timing each.  The parent prints:
 *   "slow getppid us=T"                       how long the slow call took
 *   "fast getuid max_us=M total_us=S"         the sibling's own calls
 *   "fast finished_first=1"                   the sibling was done before
 *                                             the slow call returned
 * Usage: delay_pair
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
	long long slow_us, slow_done;
	long long fast_max_us, fast_total_us, fast_done;
};

static long long now_us(void)   /* vDSO: not a system call */
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(void)
{
	struct shared *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t slow = fork();
	if (slow == 0) {
		long long t0 = now_us();
		syscall(SYS_getppid);
		s->slow_done = now_us();
		s->slow_us = s->slow_done - t0;
		_exit(0);
	}
	pid_t fast = fork();
	if (fast == 0) {
		struct timespec pause = {0, 100 * 1000 * 1000};
		nanosleep(&pause, NULL);
		long long start = now_us();
		for (int i = 0; i < 5; i++) {
			long long t0 = now_us();
			syscall(SYS_getuid);
			long long t = now_us() - t0;
			if (t > s->fast_max_us)
				s->fast_max_us = t;
		}
		s->fast_done = now_us();
		s->fast_total_us = s->fast_done - start;
		_exit(0);
	}
	waitpid(slow, NULL, 0);
	waitpid(fast, NULL, 0);
	printf("slow getppid us=%lld\n", s->slow_us);
	printf("fast getuid max_us=%lld total_us=%lld\n", s->fast_max_us, s->fast_total_us);
	printf("fast finished_first=%d\n", s->fast_done < s->slow_done);
	return 0;
}
