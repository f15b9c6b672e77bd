// The live tree: what the DTS parser and the DTB reader produce and what checks, the DTB writer, the
// DTS printer, overlays and the address map consume. It mirrors dtc's own model (struct data with
// markers, property, node, boot_info) so that dtc's rules can be followed exactly.

/** A source range, 1-based lines and columns as dtc prints them (`file:line.col-col`). */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The chain of files that included this one (outermost last), for messages and go-to-definition. */
  includedFrom?: SourcePos;
}

/** Marker kinds inside a property value, as dtc's `enum markertype`. */
export const enum MarkerType {
  /** A phandle reference inside < >: 4 bytes at `offset` are to be filled with the target's phandle. */
  RefPhandle = 'ref-phandle',
  /** A path reference outside < >: the target's full path (with NUL) is spliced in at `offset`. */
  RefPath = 'ref-path',
  /** A label inside a value. */
  Label = 'label',
  /** Type markers record how the value was written (for printing it back the same way). */
  TypeUint8 = 'u8',
  TypeUint16 = 'u16',
  TypeUint32 = 'u32',
  TypeUint64 = 'u64',
  TypeString = 'string',
  /** Raw bytes with no type (dtc's TYPE_NONE, from `/incbin/`): a boundary, not a type. */
  TypeNone = 'none',
}

export interface Marker {
  type: MarkerType;
  /** Byte offset into the value. */
  offset: number;
  /** Label name, or the reference (a label, or a path for `&{/path}`). */
  ref?: string;
  pos?: SourcePos;
}

/** A property value: bytes plus markers (sorted by offset). */
export interface Data {
  bytes: Uint8Array;
  markers: Marker[];
}

export interface Property {
  name: string;
  value: Data;
  labels: string[];
  /** Where each label was written (`name:` tokens; several for a label repeated in merges: the first). */
  labelPos?: Record<string, SourcePos>;
  deleted: boolean;
  pos?: SourcePos;
}

export interface Node {
  /** Full node name, with unit address: `serial@1000`. The root is ''. */
  name: string;
  properties: Property[];
  children: Node[];
  parent: Node | null;
  labels: string[];
  /** Where each label was written (the `name:` token; for a label given again in a merge, the first place). */
  labelPos?: Record<string, SourcePos>;
  /** 0 = not assigned yet. */
  phandle: number;
  deleted: boolean;
  omitIfNoRef: boolean;
  isReferenced: boolean;
  pos?: SourcePos;
  /**
   * Children deleted in the source (/delete-node/) and dropped from `children`. dtc keeps them in its
   * list, and a few checks test whether that list is empty: use dtcHasChildren() for those.
   */
  deletedChildren?: number;
  /** Further places the node was (re)defined, in merge order (dtc's srcpos chain: "also defined at"). */
  alsoDefinedAt?: SourcePos[];
}

export interface ReserveEntry {
  address: bigint;
  size: bigint;
  labels: string[];
  pos?: SourcePos;
}

/** The whole input: dtc's `struct dt_info`. */
export interface DeviceTree {
  /** `/dts-v1/` seen; `/plugin/` seen. */
  v1: boolean;
  plugin: boolean;
  reserveMap: ReserveEntry[];
  root: Node;
  bootCpuidPhys: number;
  /** Where it came from, for messages (a file name, `<stdin>`, or `<dtb>`). */
  source: string;
}

/** One message, worded and positioned as dtc's. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** dtc's check name for check results (`unit_address_vs_reg`), absent for syntax errors. */
  check?: string;
  message: string;
  pos?: SourcePos;
  /** For node checks: further definitions of the node, printed by dtc as "  also defined at ...". */
  alsoDefinedAt?: SourcePos[];
  /** For positionless check messages: the name dtc prints instead (the output file, `<stdout>`). */
  noPosName?: string;
  /** For messages outside checks: dtc's prefix (`Error`, `Lexical error`, `FATAL ERROR`, `Warning`). */
  prefix?: string;
}

/** Formats a position as dtc does: `file:line.col-col` or `file:line.col-line.col`. */
export function formatPos(p: SourcePos): string {
  if (p.line === p.endLine) {
    return p.column === p.endColumn ? `${p.file}:${p.line}.${p.column}` : `${p.file}:${p.line}.${p.column}-${p.endColumn}`;
  }
  return `${p.file}:${p.line}.${p.column}-${p.endLine}.${p.endColumn}`;
}

export function newNode(name: string, parent: Node | null = null): Node {
  return { name, properties: [], children: [], parent, labels: [], phandle: 0, deleted: false, omitIfNoRef: false, isReferenced: false };
}

/** dtc's `node->children != NULL`: true when the node has or had (deleted) children. */
export function dtcHasChildren(n: Node): boolean {
  return n.children.length > 0 || (n.deletedChildren ?? 0) > 0;
}

export function emptyData(): Data {
  return { bytes: new Uint8Array(0), markers: [] };
}

/** Full path of a node, as dtc builds it. */
export function nodePath(n: Node): string {
  if (!n.parent) return '/';
  const parentPath = nodePath(n.parent);
  return parentPath === '/' ? `/${n.name}` : `${parentPath}/${n.name}`;
}

export function getProperty(n: Node, name: string): Property | undefined {
  const ps = n.properties;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    if (p.name === name && !p.deleted) return p;
  }
  return undefined;
}

export function getChild(n: Node, name: string): Node | undefined {
  const cs = n.children;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (c.name === name && !c.deleted) return c;
  }
  return undefined;
}
