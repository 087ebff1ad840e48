/*
 * Stacks through libdwfl.  Per process, one Dwfl holds the modules of
 * /proc/PID/maps and is attached to the process with the tracer's ptrace
 * (dwfl_linux_proc_attach's assume_ptrace_stopped: libdwfl reads the
 * registers and memory and never stops or resumes anything); an address,
 * once named, is kept in a table of that process.  The maps are read
 * again only when the process execs (sf_stacks_forget) or when an address
 * falls outside every known module (a library loaded since), once per
 * unwind.  Source lines are looked up only when asked (the log), not for
 * a caller filter: they need the module's DWARF line tables, which for a
 * separate debug file such as libc6-dbg's means inflating its compressed
 * sections, some 50 ms per process, where names cost nothing measurable.
 * Never asks a debuginfod server: a tracee waits while it is unwound, and
 * a network round trip per module would be paid in its time.
 */
#include "engine/stack.h"

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Processes whose modules are kept: each holds a few open files of its modules. */
#define SF_STACK_PROCS_MAX 16

/* One address of one process, named. */
struct named {
	uint64_t addr;           /* the address looked up; 0: a free slot */
	struct sf_frame frame;   /* all but pc */
	Dwfl_Module *mod;        /* its module, or NULL */
	bool has_source;         /* file and line were looked up */
};

struct proc {
	pid_t tgid;
	Dwfl *dwfl;              /* NULL until loaded, or after a load failed */
	struct named *slots;     /* open addressing on addr, a power of two of them */
	size_t cap, used;
	struct proc *next;       /* most recently unwound first */
};

struct sf_stacks {
	struct proc *procs;
	unsigned nprocs;
	Dwarf_Addr pc[SF_FRAMES_MAX];             /* its frames' addresses */
	bool is_activation[SF_FRAMES_MAX];        /* the interrupted pc itself, not a return address */
	unsigned npc;
	struct proc *last;                        /* whose stack OUT is; NULL: none */
	uint64_t addr[SF_FRAMES_MAX];             /* OUT's addresses as looked up */
	struct sf_frame frames[SF_FRAMES_MAX];
	struct sf_frames out;
};

/*
 * Separate debug information by build ID only (/usr/lib/debug/.build-id,
 * where Debian's -dbgsym packages put it).  dwfl_standard_find_debuginfo
 * would fall back on debuginfod, which libdw reaches through dlopen: a
 * network lookup at a stop, and in the static sysfault a second C library.
 */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
			  char **debuginfo_file_name)
{
	return dwfl_build_id_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file,
					    debuglink_crc, debuginfo_file_name);
}

static char *debuginfo_path;   /* NULL: libdwfl's default search path */
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

/* A module's userdata is its build ID in hex (ours, malloc'd): freed with the Dwfl. */
static int free_build_id(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
	free(*userdata);
	*userdata = NULL;
	return DWARF_CB_OK;
}

static void proc_unload(struct proc *p)
{
	if (p->dwfl) {
		dwfl_getmodules(p->dwfl, free_build_id, NULL, 0);
		dwfl_end(p->dwfl);
		p->dwfl = NULL;
	}
	if (p->slots)
		memset(p->slots, 0, p->cap * sizeof(*p->slots));
	p->used = 0;
}

/*
 * The modules of the process, and the process attached for unwinding;
 * through its thread TID: a leader that called pthread_exit() is a zombie
 * whose /proc/PID/maps is empty, while its threads run on.
 */
static void proc_load(struct proc *p, pid_t tid)
{
	proc_unload(p);
	p->dwfl = dwfl_begin(&callbacks);
	if (!p->dwfl)
		return;
	dwfl_report_begin(p->dwfl);
	int rc = dwfl_linux_proc_report(p->dwfl, tid);
	if (dwfl_report_end(p->dwfl, NULL, NULL) != 0 || rc != 0 ||
	    dwfl_linux_proc_attach(p->dwfl, tid, true) != 0) {
		dwfl_end(p->dwfl);
		p->dwfl = NULL;
	}
}

static void proc_free(struct proc *p)
{
	proc_unload(p);
	free(p->slots);
	free(p);
}

/* TGID's entry, moved to the front; the least recently unwound goes past the limit. */
static struct proc *proc_of(struct sf_stacks *s, pid_t tgid)
{
	struct proc **link = &s->procs;

	for (struct proc *p = s->procs; p; link = &p->next, p = p->next) {
		if (p->tgid != tgid)
			continue;
		*link = p->next;
		p->next = s->procs;
		s->procs = p;
		return p;
	}
	struct proc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tgid = tgid;
	p->next = s->procs;
	s->procs = p;
	if (++s->nprocs > SF_STACK_PROCS_MAX) {
		struct proc **last = &s->procs;
		while ((*last)->next)
			last = &(*last)->next;
		if (s->last == *last)
			s->last = NULL;
		proc_free(*last);
		*last = NULL;
		s->nprocs--;
	}
	return p;
}

struct sf_stacks *sf_stacks_new(void)
{
	return calloc(1, sizeof(struct sf_stacks));
}

void sf_stacks_forget(struct sf_stacks *s, pid_t tgid)
{
	for (struct proc **link = s ? &s->procs : NULL; link && *link; link = &(*link)->next) {
		if ((*link)->tgid != tgid)
			continue;
		struct proc *p = *link;
		*link = p->next;
		if (s->last == p)
			s->last = NULL;
		proc_free(p);
		s->nprocs--;
		return;
	}
}

void sf_stacks_free(struct sf_stacks *s)
{
	if (!s)
		return;
	while (s->procs) {
		struct proc *p = s->procs;
		s->procs = p->next;
		proc_free(p);
	}
	free(s);
}

/* ---- Naming an address ---------------------------------------------------- */

static size_t slot_of(const struct proc *p, uint64_t addr)
{
	uint64_t h = addr * UINT64_C(0x9e3779b97f4a7c15);

	return (size_t)(h >> 32) & (p->cap - 1);
}

static struct named *lookup(struct proc *p, uint64_t addr)
{
	for (size_t i = p->cap ? slot_of(p, addr) : 0; p->cap; i = (i + 1) & (p->cap - 1)) {
		if (p->slots[i].addr == addr)
			return &p->slots[i];
		if (p->slots[i].addr == 0)
			return NULL;
	}
	return NULL;
}

/* A free slot for ADDR (not in the table), the table grown first when half full; NULL: no memory. */
static struct named *insert(struct proc *p, uint64_t addr)
{
	if ((p->used + 1) * 2 > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct named *old = p->slots, *v = calloc(cap, sizeof(*v));
		if (!v)
			return NULL;
		size_t old_cap = p->cap;
		p->slots = v;
		p->cap = cap;
		for (size_t i = 0; i < old_cap; i++) {
			if (!old[i].addr)
				continue;
			size_t j = slot_of(p, old[i].addr);
			while (v[j].addr)
				j = (j + 1) & (cap - 1);
			v[j] = old[i];
		}
		free(old);
	}
	size_t i = slot_of(p, addr);
	while (p->slots[i].addr)
		i = (i + 1) & (p->cap - 1);
	p->used++;
	p->slots[i].addr = addr;
	return &p->slots[i];
}

/* MOD's build ID in hex, made once and kept as the module's userdata. */
static const char *build_id_of(Dwfl_Module *mod)
{
	void **userdata = NULL;
	const unsigned char *bits;
	GElf_Addr vaddr;

	dwfl_module_info(mod, &userdata, NULL, NULL, NULL, NULL, NULL, NULL);
	char *hex = userdata ? *userdata : NULL;
	if (hex || !userdata)
		return hex;
	int len = dwfl_module_build_id(mod, &bits, &vaddr);
	if (len <= 0 || !(hex = malloc((size_t)len * 2 + 1)))
		return NULL;
	for (int i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", bits[i]);
	*userdata = hex;
	return hex;
}

/* What ADDR is: module, build ID, offset in the module's file, symbol. */
static void name_address(Dwfl_Module *mod, uint64_t addr, struct named *n)
{
	struct sf_frame *f = &n->frame;
	GElf_Addr bias = 0;

	*f = (struct sf_frame){ .offset = addr };
	n->mod = mod;
	n->has_source = mod == NULL;
	if (!mod)
		return;
	f->module = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	f->build_id = build_id_of(mod);
	if (dwfl_module_getelf(mod, &bias))
		f->offset = addr - bias;
	f->function = dwfl_module_addrname(mod, addr);
}

/* ADDR's source file and line, from its module's DWARF (or none). */
static void find_source(struct named *n)
{
	struct sf_frame *f = &n->frame;
	Dwfl_Line *line = dwfl_module_getsrc(n->mod, n->addr);

	n->has_source = true;
	f->file = line ? dwfl_lineinfo(line, NULL, &f->line, NULL, NULL, NULL) : NULL;
	if (!f->file)
		f->line = 0;
}

/* ---- Unwinding ------------------------------------------------------------- */

static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct sf_stacks *s = arg;
	Dwarf_Addr pc;
	bool is_activation;

	if (!dwfl_frame_pc(state, &pc, &is_activation) || pc == 0)
		return DWARF_CB_ABORT;
	s->pc[s->npc] = pc;
	s->is_activation[s->npc] = is_activation;
	return ++s->npc < SF_FRAMES_MAX ? DWARF_CB_OK : DWARF_CB_ABORT;
}

/*
 * Names the frames unwound; false when an address lies in no module the
 * Dwfl knows and IS_RETRY is false: the maps are read again first.
 */
static bool name_frames(struct sf_stacks *s, struct proc *p, bool is_retry)
{
	s->out.n = 0;
	for (unsigned i = 0; i < s->npc; i++) {
		/* A return address is the instruction after the call: look up the call itself. */
		uint64_t addr = s->is_activation[i] ? s->pc[i] : s->pc[i] - 1;
		struct named *n = lookup(p, addr);
		if (!n) {
			Dwfl_Module *mod = dwfl_addrmodule(p->dwfl, addr);
			if (!mod && !is_retry)
				return false;
			n = insert(p, addr);
			if (!n)
				break;
			name_address(mod, addr, n);
		}
		s->addr[s->out.n] = addr;
		s->frames[s->out.n] = n->frame;
		s->frames[s->out.n].file = NULL;   /* sf_stacks_add_source's */
		s->frames[s->out.n].line = 0;
		s->frames[s->out.n++].pc = s->pc[i];
	}
	return true;
}

static void unwind(struct sf_stacks *s, struct proc *p, pid_t tid)
{
	s->npc = 0;
	/* Its end is reported as an error on some architectures: keep what was unwound. */
	dwfl_getthread_frames(p->dwfl, tid, on_frame, s);
}

const struct sf_frames *sf_stacks_unwind(struct sf_stacks *s, pid_t tgid, pid_t tid)
{
	static const struct sf_frames none = { NULL, 0 };

	if (!s)
		return &none;
	s->out = (struct sf_frames){ s->frames, 0 };
	s->last = NULL;
	struct proc *p = proc_of(s, tgid);
	if (!p)
		return &s->out;
	if (!p->dwfl)
		proc_load(p, tid);
	if (!p->dwfl)
		return &s->out;
	unwind(s, p, tid);
	if (!name_frames(s, p, false)) {
		/* Modules mapped since the maps were read (dlopen): their unwind tables too. */
		proc_load(p, tid);
		if (!p->dwfl)
			return &s->out;
		unwind(s, p, tid);
		name_frames(s, p, true);
	}
	s->last = p;
	return &s->out;
}

const struct sf_frames *sf_stacks_add_source(struct sf_stacks *s)
{
	for (unsigned i = 0; s && s->last && i < s->out.n; i++) {
		struct named *n = lookup(s->last, s->addr[i]);
		if (!n)
			continue;
		if (!n->has_source)
			find_source(n);
		s->frames[i].file = n->frame.file;
		s->frames[i].line = n->frame.line;
	}
	return s ? &s->out : NULL;
}

/* ---- Source lines after the fact ------------------------------------------ */

struct source_module {
	char *path;
	Dwfl_Module *mod;        /* NULL: it could not be opened, or is another build now */
};

struct sf_sources {
	Dwfl *dwfl;
	struct source_module *v;
	size_t n;
};

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

struct sf_sources *sf_sources_new(void)
{
	struct sf_sources *s = calloc(1, sizeof(*s));

	if (s && !(s->dwfl = dwfl_begin(&offline_callbacks))) {
		free(s);
		return NULL;
	}
	return s;
}

void sf_sources_free(struct sf_sources *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	dwfl_getmodules(s->dwfl, free_build_id, NULL, 0);
	dwfl_end(s->dwfl);
	free(s);
}

/* MODULE's file, reported once; NULL when it cannot be read or its build ID is not BUILD_ID. */
static Dwfl_Module *source_module(struct sf_sources *s, const char *path, const char *build_id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].path, path))
			return s->v[i].mod;
	struct source_module *v = realloc(s->v, (s->n + 1) * sizeof(*v));
	char *copy = strdup(path);
	if (!v || !copy) {
		s->v = v ? v : s->v;
		free(copy);
		return NULL;
	}
	s->v = v;
	dwfl_report_begin_add(s->dwfl);
	Dwfl_Module *mod = dwfl_report_offline(s->dwfl, path, path, -1);
	dwfl_report_end(s->dwfl, NULL, NULL);
	const char *id = mod ? build_id_of(mod) : NULL;
	if (mod && build_id && (!id || strcmp(id, build_id)))
		mod = NULL;
	v[s->n++] = (struct source_module){ copy, mod };
	return mod;
}

bool sf_sources_find(struct sf_sources *s, const char *module, const char *build_id, uint64_t offset,
		     const char **file, int *line)
{
	GElf_Addr bias = 0;
	Dwfl_Module *mod = s && module && module[0] == '/' ? source_module(s, module, build_id) : NULL;

	if (!mod || !dwfl_module_getelf(mod, &bias))
		return false;
	Dwfl_Line *l = dwfl_module_getsrc(mod, offset + bias);
	*file = l ? dwfl_lineinfo(l, NULL, line, NULL, NULL, NULL) : NULL;
	return *file != NULL;
}
