/*
 * integ_process: sysfault as a process among others.  The command's exit
 * status comes back as is (128+N for death by signal N, 124 timeout, 126 not
 * executable, 127 not found), and its death by signal N is sysfault's own
 * (re-raised: a parent sees N, without a core of sysfault's); a delay in one process does not hold up its
 * sibling; job control still works; signals sent to sysfault reach the
 * command; killing sysfault leaves no process behind, and killing it before
 * it has seized the command runs nothing; a signal ends a held delay as it
 * would end a sleeping call; SYSFAULT_LAUNCH=fork starts the same run.
 */
#include "harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T 20.0

/* sysfault wants at least one rule; this one never fires in these targets. */
#define NO_OP "-e", "getppid:error=EIO:when=9999"

static int run_status(const char *way, const char *arg)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", sf_test_target("die"), way, arg, NULL);
	int status = p.status;
	if (p.timed_out)
		status = -1;
	sf_proc_release(&p);
	return status;
}

static void test_process__exit_status_is_passed_through(void)
{
	CU_ASSERT_EQUAL(run_status("exit", "0"), 0);
	CU_ASSERT_EQUAL(run_status("exit", "3"), 3);
	CU_ASSERT_EQUAL(run_status("exit", "124"), 124);
	CU_ASSERT_EQUAL(run_status("exit", "255"), 255);
}

static void test_process__death_by_signal_gives_128_plus_n(void)
{
	CU_ASSERT_EQUAL(run_status("signal", "SEGV"), 128 + SIGSEGV);
	CU_ASSERT_EQUAL(run_status("signal", "ABRT"), 128 + SIGABRT);
	CU_ASSERT_EQUAL(run_status("signal", "KILL"), 128 + SIGKILL);
	CU_ASSERT_EQUAL(run_status("signal", "TERM"), 128 + SIGTERM);
}

/* Whether cores go to files (a pipe's helper may be told the limit, yet the kernel says "dumped"). */
static bool cores_go_to_files(void)
{
	char *pattern = sf_read_file("/proc/sys/kernel/core_pattern");
	bool is_file = pattern && pattern[0] != '|';
	free(pattern);
	return is_file;
}

/*
 * As under strace, the parent sees the signal itself (WIFSIGNALED), after
 * the summary; and sysfault, whose own core limit is on here while the
 * command's is off, dumps none of its own.
 */
static void test_process__death_by_signal_is_reraised_without_a_core(void)
{
	char dir[512], err[600], core[600];
	int status = 0;
	struct rlimit rl;

	snprintf(dir, sizeof(dir), "%s", sf_test_tmpfile("reraise", NULL));
	snprintf(err, sizeof(err), "%s/stderr", dir);
	snprintf(core, sizeof(core), "%s/core", dir);
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	char *sysfault = realpath(sf_test_sysfault(), NULL);   /* it runs in DIR */
	CU_ASSERT_PTR_NOT_NULL_FATAL(sysfault);
	pid_t pid = fork();
	if (pid == 0) {
		if (getrlimit(RLIMIT_CORE, &rl) == 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_CORE, &rl);
		}
		int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (chdir(dir) < 0 || fd < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execl(sysfault, "sysfault", "run", NO_OP, "--", "sh", "-c",
		      "ulimit -c 0; kill -SEGV $$", (char *)NULL);
		_exit(127);
	}
	for (int ms = 0; pid > 0 && ms < T * 1000; ms += 5) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(5000);
	}
	if (!WIFSIGNALED(status) && !WIFEXITED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	if (!WIFSIGNALED(status))
		fprintf(stderr, "\n--- sysfault's status: %#x\n", status);
	if (cores_go_to_files() && getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_max != 0) {
		CU_ASSERT(WIFSIGNALED(status) && !WCOREDUMP(status));
		CU_ASSERT(access(core, F_OK) != 0);
	} else {
		fprintf(stderr, "integ_process: not run: no core of sysfault's own (cores go to a pipe, or are off)\n");
	}
	char *text = sf_read_file(err);
	CU_ASSERT(text && sf_count_prefix(text, "sysfault: rule 1 -e ") == 1);
	free(text);
	free(sysfault);
}

static void test_process__command_not_found_gives_127(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "/nonexistent/sf-no-such-command", NULL);
	SF_ASSERT_PROC(p.status == 127, &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: cannot run '/nonexistent/sf-no-such-command': "
				   "No such file or directory"), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "sf-no-such-command-in-path", NULL);
	SF_ASSERT_PROC(p.status == 127, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: cannot run") == 1 &&
		       sf_has_line(p.err, "sysfault: cannot run 'sf-no-such-command-in-path': "
				   "No such file or directory"), &p);
	sf_proc_release(&p);
}

static void test_process__command_not_executable_gives_126(void)
{
	const char *script = sf_test_tmpfile("not-executable", "#!/bin/sh\nexit 0\n");
	chmod(script, 0644);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", script, NULL);
	SF_ASSERT_PROC(p.status == 126, &p);
	SF_ASSERT_PROC(strstr(p.err, "Permission denied") &&
		       sf_count_prefix(p.err, "sysfault: cannot run") == 1, &p);
	sf_proc_release(&p);
}

static void write_script(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* The PATH search is execvp's: on past entries that lack the name or cannot run it. */
static void test_process__path_search_is_execvps(void)
{
	char a[512], b[512];
	snprintf(a, sizeof(a), "%s", sf_test_tmpfile("path-a", NULL));
	snprintf(b, sizeof(b), "%s", sf_test_tmpfile("path-b", NULL));
	mkdir(a, 0755);
	mkdir(b, 0755);
	write_script(a, "sf-cmd", "#!/bin/sh\necho not executable\n", 0644);
	write_script(b, "sf-cmd", "#!/bin/sh\necho from-b \"$@\"\nexit 3\n", 0755);
	struct sf_proc p;
	sf_proc_sh(&p, T, "PATH=/nonexistent:%s:%s:/usr/bin:/bin exec %s run "
		   "-e getppid:error=EIO:when=9999 -- sf-cmd x y", a, b, sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 3 && sf_has_line(p.out, "from-b x y"), &p);
	sf_proc_release(&p);
	/* Only a file that cannot run: execvp's EACCES, 126. */
	sf_proc_sh(&p, T, "PATH=/nonexistent:%s exec %s run -e getppid:error=EIO:when=9999 -- sf-cmd",
		   a, sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 126 && strstr(p.err, "sf-cmd': Permission denied"), &p);
	sf_proc_release(&p);
}

/* A script without #! is handed to /bin/sh, as execvp does. */
static void test_process__script_without_shebang_runs_under_sh(void)
{
	const char *script = sf_test_tmpfile("no-shebang", "echo \"no shebang $1\"\nexit 5\n");
	chmod(script, 0755);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", script, "arg1", NULL);
	SF_ASSERT_PROC(p.status == 5 && sf_has_line(p.out, "no shebang arg1"), &p);
	sf_proc_release(&p);
}

/*
 * The command starts with the signal mask and ignored signals sysfault
 * was started with (nohup's SIGHUP), not with sysfault's own handlers.
 */
static void test_process__command_inherits_ignored_signals_and_mask(void)
{
	struct sf_proc p;
	sf_proc_sh(&p, T, "trap '' HUP; grep -E '^Sig(Ign|Blk|Cgt)' /proc/self/status; "
		   "%s run -e getppid:error=EIO:when=9999 -- grep -E '^Sig(Ign|Blk|Cgt)' /proc/self/status",
		   sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines(p.out) == 6, &p);
	char *second = p.out;
	for (int i = 0; i < 3 && second; i++)
		second = strchr(second, '\n') ? strchr(second, '\n') + 1 : NULL;
	SF_ASSERT_PROC(second && !strncmp(p.out, second, (size_t)(second - p.out)), &p);
	const char *line = strstr(p.out, "SigIgn:");
	unsigned long long mask = line ? strtoull(line + 7, NULL, 16) : 0;
	CU_ASSERT(mask & (1ull << (SIGHUP - 1)));
	CU_ASSERT(!(mask & (1ull << (SIGPIPE - 1))));
	sf_proc_release(&p);
}

static void test_process__timeout_kills_the_command_with_124(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--timeout", "300ms", "--",
		     sf_test_target("die"), "sleep", "10", NULL);
	SF_ASSERT_PROC(p.status == 124, &p);
	SF_ASSERT_PROC(p.seconds < 3.0, &p);
	sf_proc_release(&p);
}

static void test_process__timeout_not_reached_keeps_the_status(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--timeout", "30s", "--",
		     sf_test_target("die"), "exit", "5", NULL);
	SF_ASSERT_PROC(p.status == 5, &p);
	sf_proc_release(&p);
}

static void test_process__delay_in_one_process_does_not_hold_up_its_sibling(void)
{
	char v[32];
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:delay_enter=800ms", "--",
		     sf_test_target("delay_pair"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	/* the delay was applied ... */
	SF_ASSERT_PROC(sf_line_kv(p.out, "slow getppid", "us", v, sizeof(v)) && atoll(v) >= 750000, &p);
	/* ... while the sibling's own calls stayed fast and ended first */
	SF_ASSERT_PROC(sf_line_kv(p.out, "fast getuid", "max_us", v, sizeof(v)) && atoll(v) < 400000, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "fast getuid", "total_us", v, sizeof(v)) && atoll(v) < 400000, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "fast finished_first=1"), &p);
	sf_proc_release(&p);
}

static void test_process__delay_exit_in_one_process_does_not_hold_up_its_sibling(void)
{
	char v[32];
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:delay_exit=800ms", "--",
		     sf_test_target("delay_pair"), NULL);
	SF_ASSERT_PROC(sf_line_kv(p.out, "slow getppid", "us", v, sizeof(v)) && atoll(v) >= 750000, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "fast getuid", "max_us", v, sizeof(v)) && atoll(v) < 400000, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "fast finished_first=1"), &p);
	sf_proc_release(&p);
}

static void test_process__stop_and_continue_work_under_sysfault(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:error=EIO", "--",
		     sf_test_target("stopcont"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "stopped=1"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "progress_while_stopped=0"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "continued=1"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "progress_after_continue=1"), &p);
	sf_proc_release(&p);
}

/* ---- sysfault started in the background, then signalled ---- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts sysfault in its own process group, stdout to OUT (or /dev/null). */
static pid_t spawn_sysfault(const char *out, char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

/* Waits up to SECONDS for PID; its exit status, 128+N, or -1 (killed then). */
static int wait_status(pid_t pid, double seconds)
{
	int status;
	for (double end = now() + seconds; now() < end; usleep(10000))
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	kill(-pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static int wait_for_file(const char *path, double seconds)
{
	for (double end = now() + seconds; now() < end; usleep(10000))
		if (access(path, F_OK) == 0)
			return 1;
	return 0;
}

static void forward_signal(int sig, const char *expected_line)
{
	const char *ready = sf_test_tmpfile("sig-ready", NULL);
	const char *out = sf_test_tmpfile("sig-out", NULL);
	char *argv[] = {(char *)sf_test_sysfault(), "run", NO_OP, "--", (char *)sf_test_target("sig"),
			"wait", (char *)ready, NULL};
	pid_t pid = spawn_sysfault(out, argv);
	if (!wait_for_file(ready, 10)) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		CU_FAIL("the command never became ready under sysfault");
		return;
	}
	kill(pid, sig);                      /* sysfault only, not its group */
	int status = wait_status(pid, 10);
	char *text = sf_read_file(out);
	if (!text || !sf_has_line(text, expected_line))
		fprintf(stderr, "\n--- status %d, stdout:\n%s---\n", status, text ? text : "");
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT(text && sf_has_line(text, expected_line));
	free(text);
}

static void test_process__sigint_to_sysfault_reaches_the_command(void)
{
	forward_signal(SIGINT, "signal SIGINT");
}

static void test_process__sigterm_to_sysfault_reaches_the_command(void)
{
	forward_signal(SIGTERM, "signal SIGTERM");
}

static void test_process__sighup_to_sysfault_reaches_the_command(void)
{
	forward_signal(SIGHUP, "signal SIGHUP");
}

static void test_process__sigterm_kills_a_command_that_does_not_catch_it(void)
{
	const char *out = sf_test_tmpfile("term-out", NULL);
	char *argv[] = {(char *)sf_test_sysfault(), "run", NO_OP, "--", (char *)sf_test_target("die"),
			"sleep", "10", NULL};
	pid_t pid = spawn_sysfault(out, argv);
	usleep(500000);
	kill(pid, SIGTERM);
	CU_ASSERT_EQUAL(wait_status(pid, 5), 128 + SIGTERM);
}

/* Whether PID is gone: no such process, or only a zombie left for init. */
static int is_gone(int pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *paren = strrchr(buf, ')');
	return paren && (paren[2] == 'Z' || paren[2] == 'X');
}

static void test_process__sigkill_of_sysfault_leaves_no_process_behind(void)
{
	const char *pids = sf_test_tmpfile("spawner-pids", NULL);
	char *argv[] = {(char *)sf_test_sysfault(), "run", "-e", "getppid:error=EIO", "--",
			(char *)sf_test_target("spawner"), (char *)pids, "3", NULL};
	pid_t pid = spawn_sysfault(NULL, argv);

	/* the top process, 3 children and 3 grandchildren: 7 lines */
	char *text = NULL;
	for (double end = now() + 10; now() < end; usleep(20000)) {
		free(text);
		text = sf_read_file(pids);
		if (text && sf_count_lines(text) >= 7)
			break;
	}
	if (!text || sf_count_lines(text) != 7) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fprintf(stderr, "\n--- pid file:\n%s---\n", text ? text : "(none)");
		CU_FAIL("spawner did not record 7 processes under sysfault");
		free(text);
		return;
	}
	usleep(100000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	int alive = 0;
	for (double end = now() + 1.0; now() < end; usleep(20000)) {
		alive = 0;
		for (char *s = text; *s; s = strchr(s, '\n') + 1)
			alive += !is_gone(atoi(s));
		if (!alive)
			break;
	}
	if (alive)
		fprintf(stderr, "\n--- still there a second after sysfault was killed: %d of\n%s", alive, text);
	CU_ASSERT_EQUAL(alive, 0);
	for (char *s = text; *s; s = strchr(s, '\n') + 1)   /* never leave them to others */
		if (!is_gone(atoi(s)))
			kill(atoi(s), SIGKILL);
	free(text);
}

static void test_process__timeout_kills_the_whole_tree(void)
{
	const char *pids = sf_test_tmpfile("timeout-pids", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--timeout", "1s", "--",
		     sf_test_target("spawner"), pids, "3", NULL);
	SF_ASSERT_PROC(p.status == 124 && p.seconds < 5.0, &p);
	char *text = sf_read_file(pids);
	SF_ASSERT_PROC(text && sf_count_lines(text) == 7, &p);
	int alive = 0;
	for (double end = now() + 1.0; text && now() < end; usleep(20000)) {
		alive = 0;
		for (char *s = text; *s; s = strchr(s, '\n') + 1)
			alive += !is_gone(atoi(s));
		if (!alive)
			break;
	}
	CU_ASSERT_EQUAL(alive, 0);
	for (char *s = text; text && *s; s = strchr(s, '\n') + 1)
		if (!is_gone(atoi(s)))
			kill(atoi(s), SIGKILL);
	free(text);
	sf_proc_release(&p);
}

/* ---- signals while a delay holds the command ---- */

/* Starts sysfault with ARGV in the background; waits until the sleeper target wrote its pid. */
static pid_t spawn_held(const char *out, const char *pidfile, char *const argv[], pid_t *command)
{
	pid_t pid = spawn_sysfault(out, argv);
	char *text = NULL;

	*command = 0;
	if (wait_for_file(pidfile, 10) && (text = sf_read_file(pidfile)))
		*command = atoi(text);
	free(text);
	return pid;
}

/* Natively SIGTERM ends `sleep 1` at once; a held 30 s delay must not make it wait. */
static void test_process__sigterm_to_sysfault_ends_a_held_delay_at_once(void)
{
	char *argv[] = {(char *)sf_test_sysfault(), "run", "-e", "clock_nanosleep,nanosleep:delay_enter=30s",
			"--", (char *)sf_test_target("die"), "sleep", "1", NULL};
	pid_t pid = spawn_sysfault(NULL, argv);
	usleep(500000);
	kill(pid, SIGTERM);
	double t0 = now();
	CU_ASSERT_EQUAL(wait_status(pid, 5), 128 + SIGTERM);
	CU_ASSERT(now() - t0 < 5);
}

static void test_process__timeout_ends_a_held_delay_at_once(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--timeout", "500ms", "-e",
		     "clock_nanosleep,nanosleep:delay_enter=30s", "--", sf_test_target("die"), "sleep", "1", NULL);
	SF_ASSERT_PROC(p.status == 124 && p.seconds < 5.0, &p);
	sf_proc_release(&p);
}

/*
 * Signal SIG sent to the command itself (not through sysfault) while
 * ACTION (a delay_enter or delay_exit) holds its nanosleep of MS ms;
 * returns the target's output (free it) and sysfault's status in *STATUS.
 */
static char *signal_held(const char *action, int sig, const char *ms, int *status)
{
	const char *pidfile = sf_test_tmpfile("held-pid", NULL);
	const char *out = sf_test_tmpfile("held-out", NULL);
	char rule[64];
	pid_t command;

	unlink(pidfile);
	snprintf(rule, sizeof(rule), "nanosleep:%s", action);
	char *argv[] = {(char *)sf_test_sysfault(), "run", "-e", rule, "--", (char *)sf_test_target("sleeper"),
			(char *)pidfile, (char *)ms, NULL};
	pid_t pid = spawn_held(out, pidfile, argv, &command);
	if (command > 0) {
		usleep(300000);   /* the target is in its nanosleep by then, held */
		kill(command, sig);
	}
	*status = wait_status(pid, 10);
	return sf_read_file(out);
}

static long long slept_us(const char *text)
{
	char v[32];
	return sf_line_kv(text, "nanosleep", "us", v, sizeof(v)) ? atoll(v) : -1;
}

static void test_process__a_signal_to_the_command_ends_its_delay_enter_with_eintr(void)
{
	int status;
	char *text = signal_held("delay_enter=30s", SIGUSR1, "5000", &status);
	if (!text || !strstr(text, "errno=EINTR") || status != 0)
		fprintf(stderr, "\n--- status %d, stdout:\n%s---\n", status, text ? text : "");
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT(text && strstr(text, "nanosleep ret=-1 errno=EINTR "));
	CU_ASSERT(text && sf_has_line(text, "signal SIGUSR1"));
	CU_ASSERT(text && slept_us(text) < 5000000);
	free(text);
}

static void test_process__a_signal_to_the_command_ends_its_delay_exit_after_the_call(void)
{
	int status;
	char *text = signal_held("delay_exit=30s", SIGUSR1, "100", &status);
	if (!text || !strstr(text, "nanosleep ret=0 ") || status != 0)
		fprintf(stderr, "\n--- status %d, stdout:\n%s---\n", status, text ? text : "");
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT(text && strstr(text, "nanosleep ret=0 "));
	CU_ASSERT(text && sf_has_line(text, "signal SIGUSR1"));
	CU_ASSERT(text && slept_us(text) < 5000000);
	free(text);
}

/* A blocked signal would not end the call natively: the delay runs its course. */
static void test_process__a_blocked_signal_does_not_end_a_delay(void)
{
	int status;
	char *text = signal_held("delay_enter=1500ms", SIGUSR2, "0", &status);
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT(text && strstr(text, "nanosleep ret=0 "));
	CU_ASSERT(text && slept_us(text) >= 1400000);
	free(text);
}

/* ---- start-up ---- */

static bool has_strace(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, "strace", "-V", NULL);
	bool ok = p.status == 0;
	sf_proc_release(&p);
	return ok;
}

/* A child of PID (from /proc/N/stat), or 0 when it has none. */
static pid_t child_of(pid_t pid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	while (d && !found && (de = readdir(d))) {
		char path[300], buf[512];
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		FILE *f = atoi(de->d_name) > 0 ? fopen(path, "r") : NULL;
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		const char *paren = strrchr(buf, ')');
		int ppid = 0;
		if (paren && sscanf(paren + 2, "%*c %d", &ppid) == 1 && ppid == pid)
			found = atoi(de->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * Between clone() and PTRACE_SEIZE the command waits for sysfault's word;
 * if sysfault dies there the command must not run (untraced, under the
 * filter, every selected call would fail with ENOSYS).  strace holds
 * sysfault's first ptrace call, the seize, for 2 s: the window, wide.
 */
static void test_process__sysfault_killed_before_the_seize_never_runs_the_command(void)
{
	const char *pidfile = sf_test_tmpfile("seize-pid", NULL);
	const char *proof = sf_test_tmpfile("seize-proof", NULL);
	char script[4096];
	snprintf(script, sizeof(script), "echo $$ > '%s.tmp' && mv '%s.tmp' '%s' && exec '%s' run "
		 "-e getppid:error=EIO -- '%s' touch '%s'", pidfile, pidfile, pidfile, sf_test_sysfault(),
		 sf_test_target("die"), proof);
	char *argv[] = {"/usr/bin/env", "strace", "-o", "/dev/null", "-e", "trace=ptrace", "-e",
			"inject=ptrace:delay_enter=2s:when=1", "/bin/sh", "-c", script, NULL};
	pid_t pid = spawn_sysfault(NULL, argv), sysfault = 0, child = 0;
	char *text = wait_for_file(pidfile, 10) ? sf_read_file(pidfile) : NULL;

	sysfault = text ? atoi(text) : 0;
	free(text);
	for (double end = now() + 5; sysfault > 0 && !child && now() < end; usleep(2000))
		child = child_of(sysfault);
	if (child)
		kill(sysfault, SIGKILL);
	wait_status(pid, 10);
	if (!child) {
		CU_FAIL("sysfault never started the command under strace");
		return;
	}
	usleep(2500000);   /* the seize would have been let through by now */
	CU_ASSERT(access(proof, F_OK) != 0);
	CU_ASSERT(is_gone(child));
	if (!is_gone(child))
		kill(child, SIGKILL);
}

/* SYSFAULT_LAUNCH=fork (for valgrind): a plain fork, the same run. */
static void test_process__sysfault_launch_fork_starts_the_command_with_a_fork(void)
{
	const char *trace = sf_test_tmpfile("launch-trace", NULL);
	struct sf_proc p;
	sf_proc_sh(&p, T, "SYSFAULT_LAUNCH=fork strace -o '%s' -e trace=clone,clone3,fork,vfork "
		   "'%s' run -e getppid:error=EIO:when=2 -- '%s' getppid 3", trace, sf_test_sysfault(),
		   sf_test_target("calls"));
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok");
	char *text = sf_read_file(trace);
	/* The command's start is the one clone that sends SIGCHLD (LeakSanitizer clones a thread of its own). */
	int forks = 0, clones = 0;
	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char *end = strchrnul(line, '\n'), *sigchld = strstr(line, "SIGCHLD"), *vm = strstr(line, "CLONE_VM");
		bool is_start = !strncmp(line, "clone", 5) && sigchld && sigchld < end;
		forks += is_start && !(vm && vm < end);
		clones += is_start && vm && vm < end;
	}
	if (forks != 1 || clones != 0)
		fprintf(stderr, "\n--- strace of sysfault:\n%s---\n", text ? text : "");
	CU_ASSERT(forks == 1 && clones == 0);
	free(text);
	sf_proc_release(&p);
}

/* Under fork the child has its own memory: why it failed still comes back. */
static void test_process__sysfault_launch_fork_reports_a_missing_command(void)
{
	struct sf_proc p;
	sf_proc_sh(&p, T, "SYSFAULT_LAUNCH=fork exec '%s' run -e getppid:error=EIO -- /nonexistent/sf-cmd",
		   sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 127 && sf_has_line(p.err, "sysfault: cannot run '/nonexistent/sf-cmd': "
						      "No such file or directory"), &p);
	sf_proc_release(&p);
	sf_proc_sh(&p, T, "SYSFAULT_LAUNCH=vfork exec '%s' run -e getppid:error=EIO -- true", sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 0 && sf_has_line(p.err, "sysfault: warning: SYSFAULT_LAUNCH=vfork is not a "
						    "way to start the command; use clone or fork"), &p);
	sf_proc_release(&p);
}

void sf_test_register_integ_process(void)
{
	CU_pSuite s = CU_add_suite("integ_process", NULL, NULL);
	CU_add_test(s, "exit status is passed through", test_process__exit_status_is_passed_through);
	CU_add_test(s, "death by signal N gives 128+N", test_process__death_by_signal_gives_128_plus_n);
	CU_add_test(s, "death by signal is re-raised, without a core", test_process__death_by_signal_is_reraised_without_a_core);
	CU_add_test(s, "command not found gives 127", test_process__command_not_found_gives_127);
	CU_add_test(s, "command not executable gives 126", test_process__command_not_executable_gives_126);
	CU_add_test(s, "PATH search is execvp's", test_process__path_search_is_execvps);
	CU_add_test(s, "script without #! runs under sh", test_process__script_without_shebang_runs_under_sh);
	CU_add_test(s, "command inherits ignored signals and mask", test_process__command_inherits_ignored_signals_and_mask);
	CU_add_test(s, "timeout kills the command with 124", test_process__timeout_kills_the_command_with_124);
	CU_add_test(s, "timeout not reached keeps the status", test_process__timeout_not_reached_keeps_the_status);
	CU_add_test(s, "delay_enter does not hold up a sibling", test_process__delay_in_one_process_does_not_hold_up_its_sibling);
	CU_add_test(s, "delay_exit does not hold up a sibling", test_process__delay_exit_in_one_process_does_not_hold_up_its_sibling);
	CU_add_test(s, "stop and continue work", test_process__stop_and_continue_work_under_sysfault);
	CU_add_test(s, "SIGINT to sysfault reaches the command", test_process__sigint_to_sysfault_reaches_the_command);
	CU_add_test(s, "SIGTERM to sysfault reaches the command", test_process__sigterm_to_sysfault_reaches_the_command);
	CU_add_test(s, "SIGHUP to sysfault reaches the command", test_process__sighup_to_sysfault_reaches_the_command);
	CU_add_test(s, "SIGTERM kills a command that does not catch it", test_process__sigterm_kills_a_command_that_does_not_catch_it);
	CU_add_test(s, "SIGKILL of sysfault leaves no process", test_process__sigkill_of_sysfault_leaves_no_process_behind);
	CU_add_test(s, "timeout kills the whole tree", test_process__timeout_kills_the_whole_tree);
	CU_add_test(s, "SIGTERM to sysfault ends a held delay at once", test_process__sigterm_to_sysfault_ends_a_held_delay_at_once);
	CU_add_test(s, "timeout ends a held delay at once", test_process__timeout_ends_a_held_delay_at_once);
	CU_add_test(s, "a signal to the command ends its delay_enter with EINTR", test_process__a_signal_to_the_command_ends_its_delay_enter_with_eintr);
	CU_add_test(s, "a signal to the command ends its delay_exit after the call", test_process__a_signal_to_the_command_ends_its_delay_exit_after_the_call);
	CU_add_test(s, "a blocked signal does not end a delay", test_process__a_blocked_signal_does_not_end_a_delay);
	CU_add_test(s, "SYSFAULT_LAUNCH=fork reports a missing command", test_process__sysfault_launch_fork_reports_a_missing_command);
	if (has_strace()) {
		CU_add_test(s, "sysfault killed before the seize never runs the command", test_process__sysfault_killed_before_the_seize_never_runs_the_command);
		CU_add_test(s, "SYSFAULT_LAUNCH=fork starts the command with a fork", test_process__sysfault_launch_fork_starts_the_command_with_a_fork);
	} else {
		fprintf(stderr, "integ_process: not run: sysfault killed before the seize never runs the command (strace not found)\n");
		fprintf(stderr, "integ_process: not run: SYSFAULT_LAUNCH=fork starts the command with a fork (strace not found)\n");
	}
}
