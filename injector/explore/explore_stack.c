/*
 * A point's stack: the record's "stack" array (report.c writes it) in and
 * out of explore's campaign.
 */
#include "explore/explore_stack.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/stack.h"
#include "json.h"
#include "rules/filter.h"

static char *dup_or_null(struct sf_jread *r, const json_t *o, const char *key, bool *is_oom)
{
	const char *s = sf_jread_str_or_null(r, o, key);
	char *copy = s ? strdup(s) : NULL;

	*is_oom |= s && !copy;
	return copy;
}

static bool read_frame(struct sf_jread *r, const json_t *o, struct sf_xframe *f)
{
	bool is_oom = false;
	int64_t line = 0;

	if (!json_is_object(o)) {
		sf_jread_fail(r, "a frame of '%s.stack' is not an object", r->where[0] ? r->where : "point");
		return true;
	}
	f->module = dup_or_null(r, o, "module", &is_oom);
	f->build_id = dup_or_null(r, o, "build_id", &is_oom);
	f->offset = (uint64_t)sf_jread_int(r, o, "offset", 0, INT64_MAX);
	f->function = dup_or_null(r, o, "function", &is_oom);
	f->file = dup_or_null(r, o, "file", &is_oom);
	if (sf_jread_int_or_null(r, o, "line", 0, INT_MAX, &line))
		f->line = (int)line;
	return !is_oom;
}

int sf_xstack_read(struct sf_jread *r, const json_t *obj, struct sf_xstack *s)
{
	const json_t *a = json_object_get(obj, "stack");

	memset(s, 0, sizeof(*s));
	if (!a || json_is_null(a))
		return 0;
	a = sf_jread_array(r, obj, "stack");
	size_t n = json_array_size(a);
	if (!sf_jread_failed(r) && n > SF_FRAMES_MAX)
		sf_jread_fail(r, "'%s.stack' holds %zu frames, more than %d", r->where[0] ? r->where : "point",
			      n, SF_FRAMES_MAX);
	if (sf_jread_failed(r) || n == 0)
		return 0;
	if (!(s->v = calloc(n, sizeof(*s->v))))
		return -ENOMEM;
	for (size_t i = 0; i < n && !sf_jread_failed(r); i++) {
		s->n++;
		if (!read_frame(r, json_array_get(a, i), &s->v[i]))
			return -ENOMEM;
	}
	return 0;
}

json_t *sf_xstack_json(const struct sf_xstack *s)
{
	struct sf_frame frames[SF_FRAMES_MAX];
	struct sf_frames stack = { frames, s->n < SF_FRAMES_MAX ? s->n : SF_FRAMES_MAX };

	if (!s->n)
		return json_null();
	for (unsigned i = 0; i < stack.n; i++) {
		const struct sf_xframe *f = &s->v[i];
		frames[i] = (struct sf_frame){ .module = f->module, .build_id = f->build_id,
					       .offset = f->offset, .function = f->function,
					       .file = f->file, .line = f->line };
	}
	return sf_json_stack(&stack);
}

char *sf_xframe_text(const struct sf_xframe *f)
{
	const char *slash = f->module ? strrchr(f->module, '/') : NULL;
	const char *module = slash ? slash + 1 : f->module;
	char *text = NULL, where[64] = "";

	if (f->file)
		snprintf(where, sizeof(where), ":%d", f->line);
	int n = module
		? asprintf(&text, "%s%s%s%s%s in %s+%#" PRIx64, f->function ? f->function : "??",
			   f->file ? " (" : "", f->file ? f->file : "", where, f->file ? ")" : "",
			   module, f->offset)
		: asprintf(&text, "%s at %#" PRIx64 " (in no module)", f->function ? f->function : "??",
			   f->offset);
	return n < 0 ? NULL : text;
}

void sf_xstack_release(struct sf_xstack *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		free(s->v[i].module);
		free(s->v[i].build_id);
		free(s->v[i].function);
		free(s->v[i].file);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int sf_xstack_add_sources(struct sf_xstack *s, struct sf_sources *sources)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct sf_xframe *f = &s->v[i];
		const char *file;
		if (f->file || !sf_sources_find(sources, f->module, f->build_id, f->offset, &file, &f->line))
			continue;
		if (!(f->file = strdup(file)))
			return -ENOMEM;
	}
	return 0;
}
