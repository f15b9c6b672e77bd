/* Walks the structure block of a DTB (version 17): tokens BEGIN_NODE 1, END_NODE 2, PROP 3, NOP 4, END 9. */
#include "fdt.h"

static const u8 *structs(const void *fdt) { return (const u8 *)fdt + be32((const u8 *)fdt + 8); }
static const char *strs(const void *fdt) { return (const char *)fdt + be32((const u8 *)fdt + 12); }
static u32 align4(u32 n) { return (n + 3) & ~3u; }

/* Offset just past the node header at `off` (BEGIN_NODE + name). */
static u32 after_name(const u8 *s, u32 off) { return off + 4 + align4(strlen_((const char *)s + off + 4) + 1); }

/* Offset after the whole node starting at `off`. */
static u32 skip_node(const u8 *s, u32 off) {
  int depth = 0;
  for (;;) {
    u32 t = be32(s + off);
    if (t == 1) { depth++; off = after_name(s, off); }
    else if (t == 2) { off += 4; if (--depth == 0) return off; }
    else if (t == 3) off += 12 + align4(be32(s + off + 4));
    else if (t == 4) off += 4;
    else return off;
  }
}


int fdt_path(const void *fdt, const char *path) {
  const u8 *s = structs(fdt);
  u32 off = 0;
  while (be32(s + off) == 4) off += 4;
  if (be32(s + off) != 1) return -1;
  while (*path == '/') path++;
  while (*path) {
    u32 n = 0;
    while (path[n] && path[n] != '/') n++;
    u32 p = after_name(s, off);
    int found = -1;
    for (;;) {
      u32 t = be32(s + p);
      if (t == 3) { p += 12 + align4(be32(s + p + 4)); continue; }
      if (t == 4) { p += 4; continue; }
      if (t != 1) break;
      const char *nm = (const char *)s + p + 4;
      u32 k = strlen_(nm);
      if ((k == n || (k > n && nm[n] == '@')) && memcmp_(nm, path, n) == 0) { found = p; break; }
      p = skip_node(s, p);
    }
    if (found < 0) return -1;
    off = found;
    path += n;
    while (*path == '/') path++;
  }
  return off;
}

const void *fdt_prop(const void *fdt, int node, const char *name, u32 *len) {
  const u8 *s = structs(fdt);
  u32 p = after_name(s, node);
  for (;;) {
    u32 t = be32(s + p);
    if (t == 4) { p += 4; continue; }
    if (t != 3) return 0;
    u32 l = be32(s + p + 4);
    const char *pn = strs(fdt) + be32(s + p + 8);
    u32 k = strlen_(name);
    if (memcmp_(pn, name, k + 1) == 0) { if (len) *len = l; return s + p + 12; }
    p += 12 + align4(l);
  }
}

void fdt_children(const void *fdt, int node, void (*fn)(const void *fdt, const char *name, int off)) {
  const u8 *s = structs(fdt);
  u32 p = after_name(s, node);
  for (;;) {
    u32 t = be32(s + p);
    if (t == 3) { p += 12 + align4(be32(s + p + 4)); continue; }
    if (t == 4) { p += 4; continue; }
    if (t != 1) return;
    fn(fdt, (const char *)s + p + 4, p);
    p = skip_node(s, p);
  }
}
