/* The tracer's cost per selected call, without the tracer: loads rules as a
 * run does (-s FILE, -e SPEC, in order) and calls sf_rules_decide() CALLS
 * times for one x86_64 syscall NR of one thread, as the engine does at each
 * selected stop.  Prints ns per call; instructions per call come from
 *   valgrind --tool=callgrind --toggle-collect=sf_rules_decide decide ...
 * (Ir / CALLS).  Built by tests/bench/decide.sh, never by a test.
 *   decide CALLS NR [-s FILE | -e SPEC]... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/rule.h"
#include "rules/scenario.h"

static int load(struct sf_scenario *sc, int argc, char **argv)
{
	for (int i = 0; i < argc; i += 2) {
		int rc = i + 1 >= argc ? -1
			: strcmp(argv[i], "-s") == 0 ? sf_scenario_load_file(sc, argv[i + 1])
			: strcmp(argv[i], "-e") == 0 ? sf_scenario_add_spec(sc, argv[i + 1], "-e")
			: -1;
		if (rc < 0)
			return -1;
	}
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct sf_scenario *sc = sf_scenario_new();
	long calls = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	unsigned nr = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 0;

	if (!sc || calls <= 0 || load(sc, argc - 3, argv + 3) < 0) {
		fprintf(stderr, "usage: decide CALLS NR [-s FILE | -e SPEC]...\n");
		return 2;
	}
	struct sf_rule_tally *tally = calloc(sc->rules.n + 1, sizeof(*tally));
	struct sf_counters *thread = NULL, *process = NULL, *tree = NULL;
	struct sf_units u = { &thread, &process, &tree, 1, 1 };
	unsigned acted = 0;
	double t0 = now_ns();

	static const uint64_t no_args[6];
	struct sf_call_view view = { .abi = SF_ABI_X86_64, .nr = nr, .args = no_args };
	for (long i = 0; i < calls; i++)
		acted += sf_rules_decide(&sc->rules, tally, &u, 0, &view, false, NULL) != NULL;
	double t1 = now_ns();
	printf("%u rules, %ld calls of %u: %.1f ns per call, %u acted\n", sf_scenario_rule_count(sc),
	       calls, nr, (t1 - t0) / (double)calls, acted);
	sf_counters_free(thread);
	sf_counters_free(process);
	sf_counters_free(tree);
	free(tally);
	sf_scenario_free(sc);
	return 0;
}
