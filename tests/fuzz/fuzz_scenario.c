/*
 * Fuzzes the scenario loader: the bytes as a libconfig file (a memfd, as
 * libconfig reads a path), loaded with sf_scenario_load_file and printed
 * as `sysfault check` does.  A bad file is -EINVAL and adds no rule.
 */
#include "fuzz.h"

#include <errno.h>

static FILE *devnull;
static struct fuzz_file file;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull) {
		fuzz_quiet();
		devnull = fopen("/dev/null", "we");
		fuzz_file_open(&file, "scenario.cfg");
	}
	/*
	 * @include reads another file of this machine: what the input does
	 * would depend on the files around it, and libFuzzer needs the same
	 * input to do the same thing every time.  Such inputs are left out.
	 */
	if (memmem(data, size, "@include", 8))
		return -1;
	struct sf_scenario *sc = sf_scenario_new();
	int rc = sf_scenario_load_file(sc, fuzz_file_set(&file, data, size));
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
	if (rc == 0)
		sf_scenario_print(sc, devnull);
	else
		FUZZ_CHECK(sf_scenario_rule_count(sc) == 0);
	sf_scenario_free(sc);
	return 0;
}
