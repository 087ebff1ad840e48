/*
 * unit_site: call sites (rules/site.h) and site points: what a site key
 * depends on (the executable's name, each frame's module and offset, the
 * first SF_SITE_DEPTH frames) and what it must not (the directory, the
 * module's path when it has a build ID, addresses outside any module,
 * function names); the set a record keeps; how a site point matches a
 * call (its text: test_point.c).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "fake_view.h"
#include "rules/filter.h"
#include "rules/point.h"
#include "rules/rule.h"
#include "rules/site.h"

#define DEPTH_MAX 16

struct fake {
	const char *exe;
	struct sf_frame frame[DEPTH_MAX];
	struct sf_frames frames;
	unsigned asked;          /* how often the stack was asked for */
};

/* N frames of /bin/app, offsets 0x1000, 0x1010, ... */
static void fake_init(struct fake *f, const char *exe, unsigned n)
{
	memset(f, 0, sizeof(*f));
	f->exe = exe;
	for (unsigned i = 0; i < n; i++) {
		f->frame[i].module = "/bin/app";
		f->frame[i].offset = 0x1000 + 0x10 * i;
		f->frame[i].pc = 0x55550000 + f->frame[i].offset;
	}
	f->frames = (struct sf_frames){ f->frame, n };
}

static uint64_t key_of(const struct fake *f)
{
	return sf_site_key(f->exe, &f->frames);
}

static void test_site__same_stack_same_key_whatever_the_layout(void)
{
	struct fake a, b;

	fake_init(&a, "/usr/bin/app", 6);
	fake_init(&b, "/tmp/box/work/app", 6);
	for (unsigned i = 0; i < 6; i++) {
		b.frame[i].pc += 0x7000;             /* another load address (ASLR) */
		b.frame[i].function = "renamed";     /* names are not part of it */
	}
	CU_ASSERT_EQUAL(key_of(&a), key_of(&b));
}

static void test_site__each_frame_and_the_executable_count(void)
{
	struct fake a, b;

	fake_init(&a, "/usr/bin/app", 6);
	uint64_t k = key_of(&a);
	for (unsigned i = 0; i < 6; i++) {
		fake_init(&b, "/usr/bin/app", 6);
		b.frame[i].offset += 4;              /* another call site in frame I */
		CU_ASSERT_NOT_EQUAL(key_of(&b), k);
		fake_init(&b, "/usr/bin/app", 6);
		b.frame[i].module = "/lib/other.so";
		CU_ASSERT_NOT_EQUAL(key_of(&b), k);
	}
	fake_init(&b, "/usr/bin/other", 6);
	CU_ASSERT_NOT_EQUAL(key_of(&b), k);
	fake_init(&b, "/usr/bin/app", 5);        /* a shorter stack is another site */
	CU_ASSERT_NOT_EQUAL(key_of(&b), k);
}

static void test_site__cut_at_the_documented_depth(void)
{
	struct fake a, b;

	fake_init(&a, "app", DEPTH_MAX);
	fake_init(&b, "app", DEPTH_MAX);
	b.frame[SF_SITE_DEPTH].offset += 4;
	b.frame[DEPTH_MAX - 1].module = "/lib/x.so";
	CU_ASSERT_EQUAL(key_of(&a), key_of(&b));
	b.frame[SF_SITE_DEPTH - 1].offset += 4;
	CU_ASSERT_NOT_EQUAL(key_of(&a), key_of(&b));
}

/* A build ID names the module wherever it is installed; a frame in no module counts only as one. */
static void test_site__build_ids_and_frames_in_no_module(void)
{
	struct fake a, b;

	fake_init(&a, "app", 4);
	fake_init(&b, "app", 4);
	a.frame[1].module = "/usr/lib/libz.so.1";
	b.frame[1].module = "/opt/lib/libz.so.1.2.13";
	a.frame[1].build_id = b.frame[1].build_id = "c0ffee";
	CU_ASSERT_EQUAL(key_of(&a), key_of(&b));
	b.frame[1].build_id = "c0ffef";
	CU_ASSERT_NOT_EQUAL(key_of(&a), key_of(&b));
	fake_init(&a, "app", 4);
	fake_init(&b, "app", 4);
	a.frame[2].module = b.frame[2].module = NULL;
	a.frame[2].offset = 0x7f0012345678;      /* JIT code: its address changes from run to run */
	b.frame[2].offset = 0x7f9abcdef000;
	CU_ASSERT_EQUAL(key_of(&a), key_of(&b));
	/* Without a build ID, the file's name counts, not its directory. */
	fake_init(&a, "app", 4);
	fake_init(&b, "app", 4);
	b.frame[3].module = "/somewhere/else/app";
	CU_ASSERT_EQUAL(key_of(&a), key_of(&b));
}

static void test_site__the_set_tells_new_from_seen(void)
{
	struct sf_site_set set = { 0 };
	unsigned added = 0;

	for (uint64_t k = 0; k < 5000; k++)
		added += sf_site_set_add(&set, k * 0x9e3779b97f4a7c15ull);
	CU_ASSERT_EQUAL(added, 5000);
	for (uint64_t k = 0; k < 5000; k++)
		CU_ASSERT_FALSE(sf_site_set_add(&set, k * 0x9e3779b97f4a7c15ull));
	/* One key per rule and syscall: the same site seen by two rules is two points. */
	uint64_t site = 0x1234;
	CU_ASSERT_NOT_EQUAL(sf_site_point_key(site, 1, SF_ABI_X86_64, 1),
			    sf_site_point_key(site, 2, SF_ABI_X86_64, 1));
	CU_ASSERT_NOT_EQUAL(sf_site_point_key(site, 1, SF_ABI_X86_64, 1),
			    sf_site_point_key(site, 1, SF_ABI_X86_64, 0));
	CU_ASSERT_NOT_EQUAL(sf_site_point_key(site, 1, SF_ABI_X86_64, 1),
			    sf_site_point_key(site, 1, SF_ABI_I386, 1));
	sf_site_set_release(&set);
}

static const char *fake_exe(void *ctx) { return ((struct fake *)ctx)->exe; }

static const struct sf_frames *fake_stack(void *ctx)
{
	struct fake *f = ctx;

	f->asked++;
	return &f->frames;
}

static const struct sf_call_view_ops fake_ops = {
	sf_fake_no_path, sf_fake_no_fd_path, sf_fake_no_fd_type, sf_fake_no_name, fake_exe, fake_stack,
};

/* Any process, thread and occurrence; the stack only for a call of the point's rule and syscall. */
static void test_site__a_site_point_matches_by_its_stack(void)
{
	struct fake f;
	struct sf_rule rule = { .index = 0, .scope = SF_SCOPE_THREAD };
	struct sf_call_view v = { .abi = SF_ABI_X86_64, .nr = 1, .ops = &fake_ops, .ctx = &f };
	struct sf_point p;
	char text[64], why[256];

	fake_init(&f, "/usr/bin/app", 5);
	snprintf(text, sizeof(text), "site:%016llx:write:r1", (unsigned long long)key_of(&f));
	CU_ASSERT_EQUAL_FATAL(sf_point_parse(text, &p, why, sizeof(why)), 0);
	CU_ASSERT_TRUE(sf_point_matches(&p, &rule, "1", 0, &v, 1));
	CU_ASSERT_TRUE(sf_point_matches(&p, &rule, "1.3.2", 4, &v, 977));
	f.frame[2].offset += 8;
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1", 0, &v, 1));
	f.asked = 0;
	v.nr = 0;   /* read */
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1", 0, &v, 1));
	v.nr = 1;
	rule.index = 1;
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1", 0, &v, 1));
	CU_ASSERT_EQUAL(f.asked, 0);
}

void sf_test_register_site(void)
{
	CU_pSuite s = CU_add_suite("unit_site", NULL, NULL);

	CU_add_test(s, "same stack, same key, whatever the layout", test_site__same_stack_same_key_whatever_the_layout);
	CU_add_test(s, "each frame and the executable count", test_site__each_frame_and_the_executable_count);
	CU_add_test(s, "cut at the documented depth", test_site__cut_at_the_documented_depth);
	CU_add_test(s, "build IDs and frames in no module", test_site__build_ids_and_frames_in_no_module);
	CU_add_test(s, "the set tells new from seen", test_site__the_set_tells_new_from_seen);
	CU_add_test(s, "a site point matches by its stack", test_site__a_site_point_matches_by_its_stack);
}
