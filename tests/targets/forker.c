/*
 * forker: the parent makes N getppid calls, then forks (vfork with -v); the
 * child makes N getppid calls, or execs COMMAND when one is given.  After
 * the child ended the parent prints what both observed:
 *   "parent I ok" / "child I ret=-1 errno=EIO"   (I from 1 in each process;
 *   no values, so the output is the same from run to run)
 *   "child exec ret=-1 errno=E" when the child's execve failed.
 * Usage: forker [-v] N [COMMAND ARG...]; exits with the child's status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct result { long ret; int err; };

/* Shared with the child, so a vfork child (which may only _exit or exec)
 * reports through memory instead of stdio. */
struct report {
	struct result calls[64];
	int exec_errno;
};

static void observe(struct result *r, int n)
{
	for (int i = 0; i < n; i++) {
		errno = 0;
		r[i].ret = syscall(SYS_getppid);
		r[i].err = r[i].ret == -1 ? errno : 0;
	}
}

static void print(const char *role, const struct result *r, int n)
{
	for (int i = 0; i < n; i++) {
		if (r[i].err)
			printf("%s %d ret=-1 errno=%s\n", role, i + 1, strerrorname_np(r[i].err));
		else
			printf("%s %d ok\n", role, i + 1);
	}
}

int main(int argc, char **argv)
{
	int use_vfork = argc > 1 && !strcmp(argv[1], "-v");
	if (argc < 2 + use_vfork) {
		fprintf(stderr, "usage: forker [-v] N [COMMAND ARG...]\n");
		return 2;
	}
	int n = atoi(argv[1 + use_vfork]);
	char **command = argc > 2 + use_vfork ? argv + 2 + use_vfork : NULL;
	if (n < 0 || n > 64)
		return 2;
	struct report *child = mmap(NULL, sizeof(*child), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct result parent[64];

	observe(parent, n);
	fflush(stdout);
	pid_t pid = use_vfork ? vfork() : fork();
	if (pid < 0) {
		perror("forker: fork");
		return 2;
	}
	if (pid == 0) {
		if (command) {
			execvp(command[0], command);
			child->exec_errno = errno;
			_exit(127);
		}
		observe(child->calls, n);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	print("parent", parent, n);
	if (child->exec_errno)
		printf("child exec ret=-1 errno=%s\n", strerrorname_np(child->exec_errno));
	else if (!command)
		print("child", child->calls, n);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
