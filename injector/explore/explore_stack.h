/*
 * The stack of a point's call, as the record run unwound it (a site
 * point's, innermost first): read from the record and from a report,
 * written to the JSON report, and shown in the text and JUnit ones.
 */
#ifndef SF_EXPLORE_STACK_H
#define SF_EXPLORE_STACK_H

#include <jansson.h>
#include <stdint.h>

#include "explore/explore_json.h"

struct sf_xframe {
	char *module;            /* the module's file; NULL: in no known module */
	char *build_id;          /* hex, or NULL */
	uint64_t offset;         /* in the module's file; the address itself without a module */
	char *function;          /* NULL for a stripped module */
	char *file;              /* NULL without line tables */
	int line;
};

struct sf_xstack {
	struct sf_xframe *v;
	unsigned n;
};

/*
 * Member "stack" of OBJ (absent or null: no frames), each frame's fields
 * checked as sf_jread's getters do; -ENOMEM when memory runs out, else 0
 * with R noting a bad field.
 */
int sf_xstack_read(struct sf_jread *r, const json_t *obj, struct sf_xstack *s);
/* The "stack" member as the record wrote it; JSON null when there are no frames. */
json_t *sf_xstack_json(const struct sf_xstack *s);
/* "put (tests/targets/two_savers.c:68) in two_savers+0x11e9", malloc'd; NULL when out of memory. */
char *sf_xframe_text(const struct sf_xframe *f);
void sf_xstack_release(struct sf_xstack *s);

struct sf_sources;
/* Fills in file and line where S's frames lack them and SOURCES knows; -ENOMEM or 0. */
int sf_xstack_add_sources(struct sf_xstack *s, struct sf_sources *sources);

#endif
