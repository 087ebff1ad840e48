/*
 * strace's `/regex` set element: POSIX extended regex, not anchored,
 * matched against every syscall name (strace src/basic_filters.c,
 * qualify_syscall_regex).  Compiled and matched in a short-lived child
 * process with its memory and time bounded; never in this one.
 */
#include "rules/sysset.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

/*
 * Why a child: glibc's regcomp() copies a subexpression for every `+` and
 * `{n,m}` applied to it, so stacked or nested repetitions grow as a power:
 * `^getp` and 20 `+` took 0.7 GB and 1 s, 30 took everything the machine
 * had until the OOM killer came; `((a{100}){100}){100}` is as bad.  Which
 * patterns explode is the regex engine's business, not a rule a
 * pre-check could state (nesting through groups defeats one), and strace
 * itself calls regcomp() unguarded.  A child with RLIMIT_AS keeps strace's
 * exact grammar (regcomp(REG_EXTENDED | REG_NOSUB)) and refuses any pattern
 * that costs more than these, in milliseconds; a syscall-name pattern
 * needs well under 1 MiB.  A C++ engine (RE2) or PCRE2 would bound the
 * cost too, but with another grammar than strace's.
 */
enum { REGEX_MEMORY_MAX = 64 << 20, REGEX_TIME_MS = 2000 };

/* What the child reports: regcomp's code and message, or the names that matched. */
struct regex_result {
	int rc;                  /* regcomp's return value */
	int found;
	char msg[256];
	struct sf_sysset set;
};

/* Field KEY ("VmSize:", "VmData:") of /proc/self/status in bytes, or 0 if unknown. */
static size_t vm_bytes(const char *key)
{
	char line[256];
	unsigned long kb = 0;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && sscanf(line + strlen(key), "%lu", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return (size_t)kb * 1024;
}

/* RESOURCE at what is in use (KEY of /proc/self/status) plus REGEX_MEMORY_MAX. */
static void limit(int resource, const char *key)
{
	size_t now = vm_bytes(key);
	struct rlimit rl;

	if (now == 0 || getrlimit(resource, &rl) < 0)
		return;
	rlim_t want = (rlim_t)now + REGEX_MEMORY_MAX;
	if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
		want = rl.rlim_max;
	rl.rlim_cur = want;
	setrlimit(resource, &rl);
}

/*
 * In the child, so that regcomp meets ENOMEM: the address space for
 * glibc's malloc, and the private writable memory (RLIMIT_DATA, Linux 4.7
 * on) for allocators that map into space they reserved up front, which
 * the address space already counts (AddressSanitizer's).
 */
static void limit_memory(void)
{
	limit(RLIMIT_AS, "VmSize:");
	limit(RLIMIT_DATA, "VmData:");
}

static void compile_and_match(int only_abi, const char *re, struct regex_result *res)
{
	regex_t preg;

	limit_memory();
	res->rc = regcomp(&preg, re, REG_EXTENDED | REG_NOSUB);
	if (res->rc != 0) {
		regerror(res->rc, &preg, res->msg, sizeof(res->msg));
		return;
	}
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (unsigned nr = 0; (only_abi < 0 || only_abi == abi) && nr < SF_NR_LIMIT; nr++) {
			const char *name = sf_syscall_name(abi, nr);
			if (name && regexec(&preg, name, 0, NULL, 0) == 0) {
				sf_sysset_add(&res->set, abi, nr);
				res->found = 1;
			}
		}
	}
	regfree(&preg);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child's whole result from FD within REGEX_TIME_MS: 0, or -ETIMEDOUT, or -EPIPE if it died. */
static int read_result(int fd, struct regex_result *res)
{
	long deadline = now_ms() + REGEX_TIME_MS;
	size_t got = 0;

	while (got < sizeof(*res)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();
		int ready = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			return ready == 0 ? -ETIMEDOUT : -errno;
		ssize_t n = read(fd, (char *)res + got, sizeof(*res) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		got += (size_t)n;
	}
	return 0;
}

/* Runs compile_and_match() in a child; 0 with RES filled, else -errno. */
static int run_child(int only_abi, const char *re, struct regex_result *res)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		return -err;
	}
	if (pid == 0) {
		/* It says everything through the pipe; a sanitizer's out-of-memory report would be noise. */
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		close(fds[0]);
		memset(res, 0, sizeof(*res));
		compile_and_match(only_abi, re, res);
		ssize_t n = write(fds[1], res, sizeof(*res));
		_exit(n == (ssize_t)sizeof(*res) ? 0 : 1);
	}
	close(fds[1]);
	int rc = read_result(fds[0], res);
	close(fds[0]);
	if (rc < 0)
		kill(pid, SIGKILL);
	/* ECHILD when the caller reaps every child itself (SIGCHLD ignored): the pipe said all. */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return rc;
}

int sf_sysset_add_regex(struct sf_sysset *set, int only_abi, const char *re, char *why, size_t whylen)
{
	struct regex_result res;
	int rc = run_child(only_abi, re, &res);

	if (rc == -ETIMEDOUT || rc == -EPIPE || (rc == 0 && res.rc == REG_ESPACE))
		return sf_why(why, whylen, "regular expression \"/%s\" is too costly: compiling it takes "
			      "more than %d MiB or %d s; repeated quantifiers (a++, (a+)+, a{9}{9}) "
			      "multiply its size, keep one per element", re, REGEX_MEMORY_MAX >> 20,
			      REGEX_TIME_MS / 1000);
	if (rc < 0)
		return sf_why(why, whylen, "cannot compile regular expression \"/%s\": %s", re,
			      strerror(-rc));
	if (res.rc != 0)
		return sf_why(why, whylen, "bad regular expression \"/%s\": %s", re, res.msg);
	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned w = 0; w < SF_NR_LIMIT / 64; w++)
			set->bits[abi][w] |= res.set.bits[abi][w];
	return res.found;
}
