/*
 * integ_scenarios: every ready-made file in scenarios/ does what its
 * comments promise, observed by the calls and demo_copy targets.
 */
#include "harness.h"

#include <stdlib.h>
#include <unistd.h>

#define T 30.0

/* The calls target under SCENARIO; KIND is what its reads and writes work on (calls -k). */
static struct sf_proc run_on(const char *scenario, const char *kind, const char *syscalls,
			     const char *count, const char *seed)
{
	char rel[256];
	struct sf_proc p;
	snprintf(rel, sizeof(rel), "scenarios/%s", scenario);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--seed", seed ? seed : "1",
		     "-s", sf_test_srcpath(rel), "--",
		     sf_test_target("calls"), "-t", "-k", kind, syscalls, count, NULL);
	return p;
}

static struct sf_proc run_with(const char *scenario, const char *syscalls, const char *count,
			       const char *seed)
{
	return run_on(scenario, "null", syscalls, count, seed);
}

static long long us_of(const struct sf_proc *p, const char *call)
{
	char v[32];
	return sf_line_kv(p->out, call, "us", v, sizeof(v)) ? atoll(v) : -1;
}

/* ---- disk-full.cfg ---- */

static void test_scenarios__disk_full_fails_the_third_write(void)
{
	struct sf_proc p = run_on("disk-full.cfg", "file", "write", "5", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok ENOSPC ok ok");
	/* matched: the 5 writes to the file, not the writev of the report to a pipe */
	SF_ASSERT_PROC(strstr(p.err, "\"enospc\"") && strstr(p.err, "matched 5, injected 1"), &p);
	sf_proc_release(&p);
}

/* A device, a pipe or a socket never answers ENOSPC: only files fill up. */
static void test_scenarios__disk_full_spares_what_is_no_file(void)
{
	static const char *kinds[] = {"null", "pipe", "socket"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct sf_proc p = run_on("disk-full.cfg", kinds[i], "write", "4", NULL);
		SF_ASSERT_OUTCOMES(&p, "write", "ok ok ok ok");
		SF_ASSERT_PROC(strstr(p.err, "matched 0, injected 0") != NULL, &p);
		sf_proc_release(&p);
	}
}

static void test_scenarios__disk_full_covers_every_write_call(void)
{
	static const char *calls[] = {"pwrite64", "writev", "pwritev", "pwritev2"};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct sf_proc p = run_on("disk-full.cfg", "file", calls[i], "4", NULL);
		SF_ASSERT_OUTCOMES(&p, calls[i], "ok ok ENOSPC ok");
		sf_proc_release(&p);
	}
}

static void test_scenarios__disk_full_makes_a_careful_copy_fail_cleanly(void)
{
	const char *src = sf_test_tmpfile("disk-full-src", NULL);
	const char *dst = sf_test_tmpfile("disk-full-dst", NULL);
	FILE *f = fopen(src, "w");
	for (int i = 0; i < 64 * 1024; i++)
		fputc('a' + i % 26, f);
	fclose(f);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", sf_test_srcpath("scenarios/disk-full.cfg"),
		     "--", sf_test_target("demo_copy"), src, dst, "4096", NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	SF_ASSERT_PROC(strstr(p.err, "copy: write failed: No space left on device\n") != NULL, &p);
	SF_ASSERT_PROC(access(dst, F_OK) != 0, &p);   /* the partial copy is gone */
	sf_proc_release(&p);
	unlink(src);
}

/* ---- eintr-storm.cfg ---- */

static void test_scenarios__eintr_storm_interrupts_some_reads(void)
{
	struct sf_proc p = run_on("eintr-storm.cfg", "pipe", "read", "200", "11");
	int interrupted = sf_count_lines_with(p.out, "errno=EINTR");
	SF_ASSERT_PROC(p.status == 0, &p);
	/* one in ten: 200 reads all spared has probability 0.9^200 < 1e-9 */
	SF_ASSERT_PROC(interrupted > 0 && interrupted < 100, &p);
	/* calls retries its own report on EINTR, so every line arrives */
	SF_ASSERT_PROC(sf_count_prefix(p.out, "read ") == 200, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "errno=") == interrupted, &p);
	sf_proc_release(&p);
}

static void test_scenarios__eintr_storm_replays_with_the_seed(void)
{
	struct sf_proc a = run_on("eintr-storm.cfg", "socket", "read,getppid", "100", "5");
	struct sf_proc b = run_on("eintr-storm.cfg", "socket", "read,getppid", "100", "5");
	char *oa = strdup(sf_outcomes(a.out, "read", 100));
	SF_ASSERT_PROC(strstr(oa, "EINTR") != NULL, &a);
	SF_ASSERT_PROC(!strcmp(oa, sf_outcomes(b.out, "read", 100)), &b);
	SF_ASSERT_OUTCOMES(&a, "getppid", "ok ok ok ok ok ok ok ok ok ok");   /* not in the storm */
	free(oa);
	sf_proc_release(&a);
	sf_proc_release(&b);
}

/* Reads and writes of regular files and devices are never interrupted, as in the kernel. */
static void test_scenarios__eintr_storm_spares_regular_files(void)
{
	static const char *kinds[] = {"file", "null"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct sf_proc p = run_on("eintr-storm.cfg", kinds[i], "read,write", "100", "11");
		SF_ASSERT_PROC(p.status == 0, &p);
		SF_ASSERT_PROC(sf_count_lines_with(p.out, "errno=") == 0, &p);
		SF_ASSERT_PROC(sf_count_prefix(p.out, "read ") == 100, &p);
		sf_proc_release(&p);
	}
}

/* ---- no-memory.cfg ---- */

static void test_scenarios__no_memory_lets_the_program_start_then_fails_mmap(void)
{
	struct sf_proc p = run_with("no-memory.cfg", "mmap", "60", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	/* the loader's mmap calls before main are not counted: the program's
	 * 50th is the first to fail, and the failures never stop */
	const char *o = sf_outcomes(p.out, "mmap", 60);
	const char *first = strstr(o, "ENOMEM");
	char v[32];
	SF_ASSERT_PROC(sf_line_kv(p.out, "mmap 49", "errno", v, sizeof(v)) == NULL, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "mmap 50", "errno", v, sizeof(v)) && !strcmp(v, "ENOMEM"), &p);
	SF_ASSERT_PROC(first && !strstr(first, "ok") && !strstr(first, "missing"), &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "errno=ENOMEM") == 11, &p);
	sf_proc_release(&p);
}

static void test_scenarios__no_memory_fails_brk_after_start_up(void)
{
	struct sf_proc p = run_with("no-memory.cfg", "brk", "12", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	char v[32];
	/* the loader's brk is not counted: the program's 10th is the first to
	 * fail, as brk fails: the break it returns is not the one asked for */
	SF_ASSERT_PROC(sf_line_kv(p.out, "brk 9", "ret", v, sizeof(v)) && strcmp(v, "0") != 0, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "brk 10", "ret", v, sizeof(v)) && !strcmp(v, "0"), &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "errno=") == 0, &p);
	sf_proc_release(&p);
}

/* ---- fd-exhaustion.cfg ---- */

static void test_scenarios__fd_exhaustion_fails_from_the_tenth_descriptor(void)
{
	static const char *calls[] = {"dup", "pipe2", "socket"};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct sf_proc p = run_with("fd-exhaustion.cfg", calls[i], "11", NULL);
		SF_ASSERT_PROC(p.status == 0, &p);
		SF_ASSERT_OUTCOMES(&p, calls[i], "ok ok ok ok ok ok ok ok ok EMFILE EMFILE");
		sf_proc_release(&p);
	}
}

static void test_scenarios__fd_exhaustion_lets_the_program_open_its_libraries(void)
{
	/* the loader's own openat calls are not counted: it opened libc, and the
	 * program's 10th is the first to fail */
	struct sf_proc p = run_with("fd-exhaustion.cfg", "openat", "12", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "openat", "ok ok ok ok ok ok ok ok ok EMFILE EMFILE EMFILE");
	sf_proc_release(&p);
}

/* fcntl fails only where it makes a descriptor: the args condition on its command. */
static void test_scenarios__fd_exhaustion_fails_fcntl_dupfd_only(void)
{
	struct sf_proc p = run_with("fd-exhaustion.cfg", "fcntl_dupfd,fcntl_getfl", "11", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "fcntl_dupfd", "ok ok ok ok ok ok ok ok ok EMFILE EMFILE");
	SF_ASSERT_OUTCOMES(&p, "fcntl_getfl", "ok ok ok ok ok ok ok ok ok ok ok");
	sf_proc_release(&p);
}

/* ---- slow-disk.cfg ---- */

static void test_scenarios__slow_disk_delays_sync(void)
{
	struct sf_proc p = run_with("slow-disk.cfg", "fsync,fdatasync", "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "fsync", "ok ok");
	SF_ASSERT_OUTCOMES(&p, "fdatasync", "ok ok");
	SF_ASSERT_PROC(us_of(&p, "fsync 1") >= 270000 && us_of(&p, "fsync 2") >= 270000, &p);
	SF_ASSERT_PROC(us_of(&p, "fdatasync 1") >= 270000, &p);
	sf_proc_release(&p);
}

static void test_scenarios__slow_disk_delays_writes_a_little(void)
{
	struct sf_proc p = run_on("slow-disk.cfg", "file", "write,getppid", "3", NULL);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok ok");
	SF_ASSERT_PROC(us_of(&p, "write 1") >= 4500 && us_of(&p, "write 3") >= 4500, &p);
	SF_ASSERT_PROC(us_of(&p, "getppid 2") < 4500, &p);   /* others untouched */
	sf_proc_release(&p);
	/* writes to a device are not to the disk */
	p = run_on("slow-disk.cfg", "null", "write", "3", NULL);
	SF_ASSERT_PROC(strstr(p.err, "\"slow write\"") && strstr(p.err, "matched 0, injected 0"), &p);
	sf_proc_release(&p);
}

/* ---- flaky-network.cfg ---- */

static void test_scenarios__flaky_network_refuses_then_times_out_connect(void)
{
	struct sf_proc p = run_with("flaky-network.cfg", "connect", "4", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	/* the 3rd and 4th run for real: the socket path does not exist */
	SF_ASSERT_OUTCOMES(&p, "connect", "ECONNREFUSED ETIMEDOUT ENOENT ENOENT");
	SF_ASSERT_PROC(us_of(&p, "connect 2") >= 900000, &p);
	sf_proc_release(&p);
}

static void test_scenarios__flaky_network_breaks_the_fifth_send_and_receive(void)
{
	struct sf_proc p = run_with("flaky-network.cfg", "sendto,recvfrom", "6", NULL);
	SF_ASSERT_OUTCOMES(&p, "sendto", "ok ok ok ok EPIPE ok");
	/* nothing was sent the other way: a real receive finds no data */
	SF_ASSERT_OUTCOMES(&p, "recvfrom", "EAGAIN EAGAIN EAGAIN EAGAIN ECONNRESET EAGAIN");
	sf_proc_release(&p);
}

/* read and write break on sockets only: a device or a file is no connection. */
static void test_scenarios__flaky_network_breaks_write_on_sockets_only(void)
{
	struct sf_proc p = run_with("flaky-network.cfg", "write,read", "6", NULL);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok ok ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "read", "ok ok ok ok ok ok");
	sf_proc_release(&p);
	p = run_on("flaky-network.cfg", "socket", "write,read", "6", NULL);
	/* the 5th write to a socket: calls' own first one fills the other end */
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok ok EPIPE ok ok");
	SF_ASSERT_OUTCOMES(&p, "read", "ok ok ok ok ECONNRESET ok");
	sf_proc_release(&p);
}

void sf_test_register_integ_scenarios(void)
{
	CU_pSuite s = CU_add_suite("integ_scenarios", NULL, NULL);
	CU_add_test(s, "disk-full fails the third write", test_scenarios__disk_full_fails_the_third_write);
	CU_add_test(s, "disk-full covers every write call", test_scenarios__disk_full_covers_every_write_call);
	CU_add_test(s, "disk-full spares what is no file", test_scenarios__disk_full_spares_what_is_no_file);
	CU_add_test(s, "disk-full: a careful copy fails cleanly", test_scenarios__disk_full_makes_a_careful_copy_fail_cleanly);
	CU_add_test(s, "eintr-storm interrupts some reads", test_scenarios__eintr_storm_interrupts_some_reads);
	CU_add_test(s, "eintr-storm replays with the seed", test_scenarios__eintr_storm_replays_with_the_seed);
	CU_add_test(s, "eintr-storm spares regular files", test_scenarios__eintr_storm_spares_regular_files);
	CU_add_test(s, "no-memory lets start-up pass, then fails mmap", test_scenarios__no_memory_lets_the_program_start_then_fails_mmap);
	CU_add_test(s, "no-memory fails brk after start-up", test_scenarios__no_memory_fails_brk_after_start_up);
	CU_add_test(s, "fd-exhaustion fails from the 10th descriptor", test_scenarios__fd_exhaustion_fails_from_the_tenth_descriptor);
	CU_add_test(s, "fd-exhaustion lets the libraries open", test_scenarios__fd_exhaustion_lets_the_program_open_its_libraries);
	CU_add_test(s, "fd-exhaustion fails fcntl F_DUPFD only", test_scenarios__fd_exhaustion_fails_fcntl_dupfd_only);
	CU_add_test(s, "slow-disk delays sync", test_scenarios__slow_disk_delays_sync);
	CU_add_test(s, "slow-disk delays writes a little", test_scenarios__slow_disk_delays_writes_a_little);
	CU_add_test(s, "flaky-network: connect refused, then timed out", test_scenarios__flaky_network_refuses_then_times_out_connect);
	CU_add_test(s, "flaky-network: 5th send and receive break", test_scenarios__flaky_network_breaks_the_fifth_send_and_receive);
	CU_add_test(s, "flaky-network breaks write and read on sockets only", test_scenarios__flaky_network_breaks_write_on_sockets_only);
}
