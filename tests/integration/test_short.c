/*
 * integ_short: short= and poke_enter=/poke_exit= as the traced program sees
 * them (README: "short: partial transfers", "Pokes").  A short call moves part
 * of its data, and afterwards the program finds its registers and its
 * iovec array as it left them; a poke writes where the argument points,
 * and a bad pointer is one warning, never the end of the run.  The
 * short_io target makes each call and reports what it observed.
 */
#include "harness.h"

#include <stdbool.h>
#include <stdlib.h>

#define T 20.0

/*
 * short_io MODE on a fresh file under sysfault -e SPEC.  SKIP_LOADER: the
 * dynamic loader's own reads come first, and -e rules count them (as
 * strace): --loader-calls skip leaves the program's.
 */
static void run_short_io(struct sf_proc *p, const char *spec, const char *mode, bool skip_loader)
{
	const char *file = sf_test_tmpfile("short_io.data", NULL);

	sf_proc_runl(p, T, sf_test_sysfault(), "run", "--summary", "none", "--loader-calls",
		     skip_loader ? "skip" : "count", "-e", spec, "--",
		     sf_test_target("short_io"), mode, file, NULL);
}

#define SKIP_LOADER true

/* ---- short= on (fd, buf, count) calls ---- */

static void test_short__write_of_1000_cut_to_100_is_seen_and_its_100_bytes_are_in_the_file(void)
{
	struct sf_proc p;
	run_short_io(&p, "write:short=100:when=1", "write", false);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "write ret=100 regs=kept"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=100 content=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__fraction_lets_that_part_through(void)
{
	struct sf_proc p;
	run_short_io(&p, "write:short=0.25:when=1", "write", false);
	SF_ASSERT_PROC(sf_has_line(p.out, "write ret=250 regs=kept"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=250 content=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__percentage_lets_that_part_through(void)
{
	struct sf_proc p;
	run_short_io(&p, "write:short=10%:when=1", "write", false);
	SF_ASSERT_PROC(sf_has_line(p.out, "write ret=100 regs=kept"), &p);
	sf_proc_release(&p);
}

static void test_short__a_call_within_the_limit_runs_whole_and_counts_as_injected(void)
{
	struct sf_proc p;
	const char *file = sf_test_tmpfile("short_io.data", NULL);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "write:short=5000:when=1", "--",
		     sf_test_target("short_io"), "write", file, NULL);
	SF_ASSERT_PROC(sf_has_line(p.out, "write ret=1000 regs=kept"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=1000 content=ok"), &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "injected 1") == 1, &p);
	sf_proc_release(&p);
}

static void test_short__read_returns_the_first_bytes_only(void)
{
	struct sf_proc p;
	run_short_io(&p, "read:short=7:when=1", "read", SKIP_LOADER);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "read ret=7 regs=kept data=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__read_fraction_of_the_count(void)
{
	struct sf_proc p;
	run_short_io(&p, "read:short=0.5:when=1", "read", SKIP_LOADER);
	SF_ASSERT_PROC(sf_has_line(p.out, "read ret=500 regs=kept data=ok"), &p);
	sf_proc_release(&p);
}

/* A careful copier retries partial writes: with every write cut, the copy is still whole. */
static void test_short__a_program_that_retries_partial_writes_copies_everything(void)
{
	const char *src = sf_test_srcpath("README.md");
	const char *dst = sf_test_tmpfile("short-copy", NULL);
	struct sf_proc p, cmp;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "none", "-e", "write:short=100",
		     "--", sf_test_target("demo_copy"), src, dst, NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	sf_proc_runl(&cmp, T, "cmp", src, dst, NULL);
	SF_ASSERT_PROC(cmp.status == 0, &cmp);
	sf_proc_release(&cmp);
	sf_proc_release(&p);
}

/* ---- short= on iovec calls: fewer vectors, the last one cut, the array put back ---- */

static void test_short__readv_stops_inside_a_vector_and_the_iovec_is_restored(void)
{
	struct sf_proc p;
	run_short_io(&p, "readv:short=15", "readv", false);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "readv ret=15 regs=kept data=ok iov=10,20,30 bases=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__writev_stops_inside_a_vector_and_the_iovec_is_restored(void)
{
	struct sf_proc p;
	run_short_io(&p, "writev:short=25", "writev", false);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "writev ret=25 regs=kept iov=10,20,30 bases=ok"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=25 content=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__writev_cut_at_a_vector_boundary(void)
{
	struct sf_proc p;
	run_short_io(&p, "writev:short=30", "writev", false);
	SF_ASSERT_PROC(sf_has_line(p.out, "writev ret=30 regs=kept iov=10,20,30 bases=ok"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=30 content=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__writev_fraction_is_of_the_whole_vector(void)
{
	struct sf_proc p;
	run_short_io(&p, "writev:short=0.1", "writev", false);
	SF_ASSERT_PROC(sf_has_line(p.out, "writev ret=6 regs=kept iov=10,20,30 bases=ok"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=6 content=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__scenario_file_short_key(void)
{
	const char *cfg = sf_test_tmpfile("short.cfg",
		"rules = ( { syscalls = \"writev\"; short = 12; } );\n");
	const char *file = sf_test_tmpfile("short_io.data", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "none", "-s", cfg, "--",
		     sf_test_target("short_io"), "writev", file, NULL);
	SF_ASSERT_PROC(sf_has_line(p.out, "writev ret=12 regs=kept iov=10,20,30 bases=ok"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=12 content=ok"), &p);
	sf_proc_release(&p);
}

/* ---- i386 calls (int $0x80): 32-bit registers and iovec ---- */

static void test_short__i386_write_is_cut_and_its_registers_kept(void)
{
	struct sf_proc p;
	run_short_io(&p, "write:short=100:when=1", "i386_write", false);
	SF_ASSERT_PROC(sf_has_line(p.out, "write ret=100 regs=kept"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=100 content=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__i386_readv_with_a_32_bit_iovec_is_cut_and_restored(void)
{
	struct sf_proc p;
	run_short_io(&p, "readv:short=15", "i386_readv", false);
	SF_ASSERT_PROC(sf_has_line(p.out, "readv ret=15 regs=kept data=ok iov=10,20,30 bases=ok"), &p);
	sf_proc_release(&p);
}

static void test_short__i386_writev_with_a_32_bit_iovec_is_cut_and_restored(void)
{
	struct sf_proc p;
	run_short_io(&p, "writev:short=25", "i386_writev", false);
	SF_ASSERT_PROC(sf_has_line(p.out, "writev ret=25 regs=kept iov=10,20,30 bases=ok"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file size=25 content=ok"), &p);
	sf_proc_release(&p);
}

/* ---- pokes ---- */

static void test_poke__enter_on_write_changes_what_is_written(void)
{
	struct sf_proc p;
	run_short_io(&p, "write:poke_enter=@arg2=58595a:when=1", "poke_write", false);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "poke_write ret=6 buf=XYZlo."), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file text=XYZlo."), &p);
	sf_proc_release(&p);
}

static void test_poke__exit_on_read_changes_what_the_program_sees(void)
{
	struct sf_proc p;
	run_short_io(&p, "read:poke_exit=@arg2=58595a:when=1", "poke_read", SKIP_LOADER);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "poke_read ret=6 buf=XYZlo."), &p);
	sf_proc_release(&p);
}

/* strace's poke_exit on a failed call: the error and the bytes both. */
static void test_poke__exit_with_error_fails_the_call_and_pokes(void)
{
	struct sf_proc p;
	run_short_io(&p, "read:error=EIO:poke_exit=@arg2=58595a:when=1", "poke_read", SKIP_LOADER);
	SF_ASSERT_PROC(sf_has_line(p.out, "poke_read ret=-5 buf=XYZ..."), &p);
	sf_proc_release(&p);
}

static void test_poke__enter_with_short_does_both(void)
{
	struct sf_proc p;
	run_short_io(&p, "write:poke_enter=@arg2=58:short=3:when=1", "poke_write", false);
	SF_ASSERT_PROC(sf_has_line(p.out, "poke_write ret=3 buf=Xello."), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "file text=Xel"), &p);
	sf_proc_release(&p);
}

static void test_poke__bad_pointer_is_one_warning_and_the_run_goes_on(void)
{
	struct sf_proc p;
	run_short_io(&p, "write:poke_enter=@arg2=41:when=1..2", "bad_poke", false);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "bad 1 ret=0") && sf_has_line(p.out, "bad 2 ret=0"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "good ret=3"), &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "warning") == 1, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "poke_enter=@arg2") == 1, &p);
	sf_proc_release(&p);
}

/* An argument that is no pointer (write's fd 3) is a bad address like any other. */
static void test_poke__exit_at_an_argument_that_is_no_pointer_is_a_warning(void)
{
	struct sf_proc p;
	run_short_io(&p, "write:poke_exit=@arg1=41:when=1", "poke_write", false);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "poke_write ret=6 buf=hello."), &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "poke_exit=@arg1") == 1, &p);
	sf_proc_release(&p);
}

/* ---- registration ---- */

struct short_test {
	const char *name;
	CU_TestFunc run;
};

static const struct short_test tests[] = {
	{ "write of 1000 cut to 100: seen, 100 in the file", test_short__write_of_1000_cut_to_100_is_seen_and_its_100_bytes_are_in_the_file },
	{ "fraction lets that part through", test_short__fraction_lets_that_part_through },
	{ "percentage lets that part through", test_short__percentage_lets_that_part_through },
	{ "call within the limit runs whole, counts as injected", test_short__a_call_within_the_limit_runs_whole_and_counts_as_injected },
	{ "read returns the first bytes only", test_short__read_returns_the_first_bytes_only },
	{ "read fraction of the count", test_short__read_fraction_of_the_count },
	{ "a program retrying partial writes copies everything", test_short__a_program_that_retries_partial_writes_copies_everything },
	{ "readv stops inside a vector, iovec restored", test_short__readv_stops_inside_a_vector_and_the_iovec_is_restored },
	{ "writev stops inside a vector, iovec restored", test_short__writev_stops_inside_a_vector_and_the_iovec_is_restored },
	{ "writev cut at a vector boundary", test_short__writev_cut_at_a_vector_boundary },
	{ "writev fraction is of the whole vector", test_short__writev_fraction_is_of_the_whole_vector },
	{ "scenario file short key", test_short__scenario_file_short_key },
	{ "poke_enter on write changes what is written", test_poke__enter_on_write_changes_what_is_written },
	{ "poke_exit on read changes what the program sees", test_poke__exit_on_read_changes_what_the_program_sees },
	{ "poke_exit with error fails the call and pokes", test_poke__exit_with_error_fails_the_call_and_pokes },
	{ "poke_enter with short does both", test_poke__enter_with_short_does_both },
	{ "bad pointer: one warning, the run goes on", test_poke__bad_pointer_is_one_warning_and_the_run_goes_on },
	{ "poke at an argument that is no pointer: a warning", test_poke__exit_at_an_argument_that_is_no_pointer_is_a_warning },
};

static const struct short_test i386_tests[] = {
	{ "i386 write is cut, its registers kept", test_short__i386_write_is_cut_and_its_registers_kept },
	{ "i386 readv with a 32-bit iovec is cut and restored", test_short__i386_readv_with_a_32_bit_iovec_is_cut_and_restored },
	{ "i386 writev with a 32-bit iovec is cut and restored", test_short__i386_writev_with_a_32_bit_iovec_is_cut_and_restored },
};

/* Whether short_io, run natively, can make int $0x80 calls. */
static bool has_i386(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_target("short_io"), "i386_write", sf_test_tmpfile("short_io.probe", NULL), NULL);
	bool is_there = p.status == 0 && sf_has_line(p.out, "write ret=1000 regs=kept");
	sf_proc_release(&p);
	return is_there;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

void sf_test_register_integ_short(void)
{
	CU_pSuite s = CU_add_suite("integ_short", NULL, NULL);
	bool can_i386 = has_i386();

	for (size_t i = 0; i < N(tests); i++)
		CU_add_test(s, tests[i].name, tests[i].run);
	for (size_t i = 0; i < N(i386_tests); i++) {
		if (can_i386)
			CU_add_test(s, i386_tests[i].name, i386_tests[i].run);
		else
			fprintf(stderr, "integ_short: not run: %s (this kernel cannot make int $0x80 calls)\n",
				i386_tests[i].name);
	}
}
