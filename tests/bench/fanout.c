/* Memory figure of tests/bench/run.sh: holds N live child processes so the
 * tracer's peak RSS can be read while all of them exist.
 *   fanout N READY RELEASE
 * Forks N children that block in read(2) on one pipe, creates the file READY,
 * waits until the file RELEASE exists, then closes the pipe (every child reads
 * EOF and exits) and reaps them.  Exits 0 when every child exited 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fds[2];
	long n;
	char c;

	if (argc != 4 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: fanout N READY RELEASE\n");
		return 2;
	}
	if (pipe(fds) != 0) {
		perror("fanout: pipe");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fanout: fork");
			return 1;
		}
		if (pid == 0) {
			close(fds[1]);
			/* EOF once the parent closes its end. */
			while (read(fds[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
	}
	close(fds[0]);
	int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror("fanout: ready file");
		return 1;
	}
	close(fd);
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	while (access(argv[3], F_OK) != 0)
		nanosleep(&tick, NULL);
	close(fds[1]);

	int failed = 0, status;
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	if (failed)
		fprintf(stderr, "fanout: %d children failed\n", failed);
	return failed ? 1 : 0;
}
