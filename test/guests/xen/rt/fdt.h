/* A minimal flattened-device-tree reader for the test guests and the example guest. */
#ifndef FDT_H
#define FDT_H
#include "xrt.h"
static inline u32 be32(const void *p) { const u8 *b = p; return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3]; }
/* Offset of the node at `path` ("/", "/chosen", "/hypervisor") in the structure block, or -1. */
int fdt_path(const void *fdt, const char *path);
/* The value of property `name` of the node at `node`, its length in *len; 0 if absent. */
const void *fdt_prop(const void *fdt, int node, const char *name, u32 *len);
/* Calls fn for every node at depth 1 (name, offset). */
void fdt_children(const void *fdt, int node, void (*fn)(const void *fdt, const char *name, int off));
#endif
