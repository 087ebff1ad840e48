/*
 * Fuzzes explore's readers: the bytes as a JSON report (sf_report_read_json,
 * as merge and --resume read it) and as a record run's JSON Lines
 * (sf_points_read_record).  A report that reads must print, write, and
 * read back to the same report: merge and --resume rewrite what they read.
 */
#include "fuzz.h"

#include "explore/explore.h"

static FILE *devnull;
static struct fuzz_file input, first, second;

/* Writes C to F and returns what was written (malloc'd). */
static char *written(const struct sf_campaign *c, struct fuzz_file *f, size_t *size)
{
	fuzz_file_set(f, NULL, 0);
	FUZZ_CHECK(sf_report_write_json(c, f->path) == 0);
	return fuzz_file_get(f, size);
}

static void report_round_trip(const struct sf_campaign *c)
{
	struct sf_campaign again = { 0 };
	size_t n1, n2;
	char *text1 = written(c, &first, &n1);

	FUZZ_CHECK(sf_report_read_json(&again, first.path) == 0);
	char *text2 = written(&again, &second, &n2);
	FUZZ_CHECK(n1 == n2 && !memcmp(text1, text2, n1));
	sf_campaign_release(&again);
	free(text1);
	free(text2);
}

static void read_as_report(const char *path)
{
	struct sf_campaign c = { 0 };

	if (sf_report_read_json(&c, path) == 0) {
		sf_report_print(&c, devnull, 1);
		report_round_trip(&c);
	}
	sf_campaign_release(&c);
}

/* What explore does with a record next: narrowed, sharded, sorted. */
static void read_as_record(const char *path)
{
	struct sf_campaign c = { 0 };

	if (sf_points_read_record(&c, path) == 0) {
		sf_points_dedup(&c);
		sf_points_shard(&c, 1, 2);
		sf_points_sort(&c);
	}
	sf_campaign_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull) {
		fuzz_quiet();
		devnull = fopen("/dev/null", "we");
		fuzz_file_open(&input, "input.json");
		fuzz_file_open(&first, "first.json");
		fuzz_file_open(&second, "second.json");
	}
	const char *path = fuzz_file_set(&input, data, size);
	read_as_report(path);
	read_as_record(path);
	return 0;
}
