/*
 * stopcont: job control as a shell does it.  A child loops writing a byte to
 * a pipe every 10 ms; the parent stops it with SIGSTOP, then continues it
 * with SIGCONT, and prints what it observed:
 *   "stopped=1"                 waitpid(WUNTRACED) reported the stop (SIGSTOP)
 *   "progress_while_stopped=0"  bytes that came in 300 ms after the stop
 *   "continued=1"               waitpid(WCONTINUED) reported the continue
 *   "progress_after_continue=1" bytes came again within 2 s
 * Every wait is bounded, so a broken tracer gives "=0", never a hang.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Waits up to 3 s for a child state change that PRED accepts. */
static int wait_for(pid_t pid, int options, int (*pred)(int))
{
	for (int ms = 0; ms < 3000; ms += 5) {
		int status;
		pid_t r = waitpid(pid, &status, options | WNOHANG);
		if (r == pid && pred(status))
			return 1;
		usleep(5000);
	}
	return 0;
}

static int is_sigstop(int status) { return WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP; }
static int is_continued(int status) { return WIFCONTINUED(status); }

static long drain(int fd)
{
	char buf[4096];
	long total = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += r;
	return total;
}

int main(void)
{
	int p[2];
	if (pipe(p))
		return 2;
	pid_t child = fork();
	if (child == 0) {
		close(p[0]);
		for (int i = 0; i < 3000; i++) {   /* at most 30 s */
			if (write(p[1], "x", 1) != 1)
				_exit(1);
			usleep(10000);
		}
		_exit(0);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	usleep(50000);

	kill(child, SIGSTOP);
	int stopped = wait_for(child, WUNTRACED, is_sigstop);
	usleep(20000);
	drain(p[0]);                        /* bytes written before the stop */
	usleep(300000);
	long while_stopped = drain(p[0]);

	kill(child, SIGCONT);
	int continued = wait_for(child, WCONTINUED, is_continued);
	long after = 0;
	for (int ms = 0; ms < 2000 && !after; ms += 10) {
		usleep(10000);
		after = drain(p[0]);
	}
	printf("stopped=%d\n", stopped);
	printf("progress_while_stopped=%d\n", while_stopped > 0);
	printf("continued=%d\n", continued);
	printf("progress_after_continue=%d\n", after > 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}
