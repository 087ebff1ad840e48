/*
 * Fuzzes strace's -e grammar: sf_spec_parse on the bytes as one string,
 * then the same string through the public sf_scenario_add_spec and
 * sf_scenario_print.  A rejection must always say why.
 */
#include "fuzz.h"

#include <errno.h>
#include <stdbool.h>

#include "rules/rule.h"
#include "rules/spec.h"

static FILE *devnull;

/*
 * A '/' in the syscall set (before the first ':') is a regex, compiled in
 * a child process (rules/sysset_regex.c): a fork of this fuzzer, ASan's
 * memory and all, costs about 5 ms, nine tenths of the time when such
 * inputs were let in, and libFuzzer sees neither the child's coverage nor
 * its crashes.  fuzz_scenario still reaches that path now and then.
 */
static bool is_regex_set(const uint8_t *data, size_t size)
{
	const uint8_t *colon = memchr(data, ':', size);

	return memchr(data, '/', colon ? (size_t)(colon - data) : size) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[512] = "";

	if (is_regex_set(data, size))
		return -1;
	if (!devnull) {
		fuzz_quiet();
		devnull = fopen("/dev/null", "we");
	}
	char *spec = fuzz_string(data, size);
	struct sf_rule *rule = sf_spec_parse(spec, why, sizeof(why));
	FUZZ_CHECK(rule || why[0]);
	sf_rule_free(rule);

	struct sf_scenario *sc = sf_scenario_new();
	int rc = sf_scenario_add_spec(sc, spec, NULL);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
	FUZZ_CHECK((rc == 0) == (rule != NULL));
	if (rc == 0)
		sf_scenario_print(sc, devnull);
	sf_scenario_free(sc);
	free(spec);
	return 0;
}
