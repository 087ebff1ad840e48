/*
 * Fuzzes --point: sf_point_parse on the bytes as one string; a point it
 * accepts must format (sf_point_format) to a text that parses back to the
 * same point, since explore writes points and `run --point` reads them.
 */
#include "fuzz.h"

#include "rules/point.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[512] = "", text[512];
	struct sf_point p, again;
	char *s = fuzz_string(data, size);

	if (sf_point_parse(s, &p, why, sizeof(why)) == 0) {
		sf_point_format(&p, text, sizeof(text));
		FUZZ_CHECK(sf_point_parse(text, &again, why, sizeof(why)) == 0);
		FUZZ_CHECK(!strcmp(p.lineage, again.lineage) && p.thread == again.thread &&
			   p.abi == again.abi && p.nr == again.nr && p.rule == again.rule &&
			   p.occurrence == again.occurrence);
	} else {
		FUZZ_CHECK(why[0]);
	}
	free(s);
	return 0;
}
