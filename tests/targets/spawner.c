/*
 * spawner: builds a small tree that outlives nothing on its own: N children,
 * each with one grandchild; every process (the top one too) appends its pid
 * to PIDFILE, then sleeps 30 s.  Tests kill the tracer and check every pid
 * listed is gone.
 * Usage: spawner PIDFILE N
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void record(const char *pidfile)
{
	char line[32];
	int fd = open(pidfile, O_WRONLY | O_APPEND | O_CREAT, 0600);
	int len = snprintf(line, sizeof(line), "%d\n", (int)getpid());
	if (fd < 0 || write(fd, line, len) != len)   /* O_APPEND: one write, one line */
		_exit(2);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: spawner PIDFILE N\n");
		return 2;
	}
	int n = atoi(argv[2]);
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			if (fork() == 0) {
				record(argv[1]);
				sleep(30);
				_exit(0);
			}
			record(argv[1]);
			sleep(30);
			_exit(0);
		}
	}
	record(argv[1]);
	sleep(30);
	while (wait(NULL) > 0)
		;
	return 0;
}
