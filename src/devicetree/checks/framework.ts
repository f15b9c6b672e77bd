// The checks framework, following dtc's checks.c: every check has a name, default warning/error levels
// and prerequisites; enabled checks run in table order; a check runs its prerequisites first and is
// skipped ("Failed prerequisite") if one of them failed; a check's function is called for every live
// node, parents before children. Messages are worded and positioned exactly as dtc prints them.
import type { DeviceTree, Diagnostic, Node, Property } from '../model';
import { formatPos, nodePath } from '../model';

export interface CheckContext {
  readonly tree: DeviceTree;
  /** The check being run (its `data` is available to shared check functions). */
  readonly check: CheckDescriptor;
  /** `-@` given: omit_unused_nodes keeps labelled nodes. */
  readonly symbols: boolean;
  readonly plugin: boolean;
  /** dtc's `node->addr_cells` / `size_cells` (-1 when absent), filled by the addr_size_cells check. */
  readonly addrCells: Map<Node, number>;
  readonly sizeCells: Map<Node, number>;
  /** Scratch state shared between checks of one run. */
  readonly state: Map<string, unknown>;
  /** FAIL(c, dti, node, ...): positioned at the node, message prefixed with its path. */
  fail(node: Node | null, message: string): void;
  /** FAIL_PROP(c, dti, node, prop, ...): positioned at the property (or the node), prefixed `path:prop: `. */
  failProp(node: Node, prop: Property, message: string): void;
}

export interface CheckDescriptor {
  /** dtc's name, e.g. `unit_address_vs_reg`. */
  name: string;
  /** Default levels: dtc's WARNING(...) is warn, ERROR(...) is error, CHECK(...) neither (runs only as a prerequisite or when enabled). */
  warn: boolean;
  error: boolean;
  /** Names of prerequisite checks. */
  prereqs: string[];
  /** Called for every live node (pre-order). Absent: the check only groups its prerequisites. */
  fn?: (ctx: CheckContext, node: Node) => void;
  /** dtc's `c->data` (a property name, a character set, ...). */
  data?: unknown;
  /**
   * The check can only fail at a node holding a live property of this name: when no node has one, its
   * walk is skipped (the result is the same). Checks add no properties but phandles, which none names.
   */
  onlyWithProperty?: string;
}

type Status = 'unchecked' | 'prereq' | 'passed' | 'failed';

interface CheckState {
  d: CheckDescriptor;
  warn: boolean;
  error: boolean;
  status: Status;
  inProgress: boolean;
  prereqs: CheckState[];
}

export interface CheckRunOptions {
  /** -W / -E switches in command-line order: `{ warn: true, name: 'no-unit_address_vs_reg' }`. */
  switches?: { kind: 'W' | 'E'; name: string }[];
  symbols?: boolean;
  /** Output name used for messages without a position (dtc prints `<stdout>` for `-`). */
  outName?: string;
  /** -q count: 1 hides warnings, 2 hides errors too. */
  quiet?: number;
  /** Shared state seeded by the caller (e.g. the phandle allocator, `phandles`). */
  state?: Map<string, unknown>;
  /** The tree came from a `/plugin/` source: unresolved references become fixups. */
  plugin?: boolean;
}

export interface CheckRunResult {
  diagnostics: Diagnostic[];
  /** True when an error-level check did not pass (dtc aborts unless -f). */
  error: boolean;
}

export class UnknownCheckError extends Error {
  constructor(readonly checkName: string) {
    super(`Unrecognized check name "${checkName}"`);
  }
}

/** Builds the run states for a table (in dtc's order) and applies -W/-E switches as dtc does. */
export function prepareChecks(table: CheckDescriptor[], switches: { kind: 'W' | 'E'; name: string }[] = []): CheckState[] {
  const byName = new Map<string, CheckState>();
  const states = table.map((d) => {
    const s: CheckState = { d, warn: d.warn, error: d.error, status: 'unchecked', inProgress: false, prereqs: [] };
    byName.set(d.name, s);
    return s;
  });
  for (const s of states) {
    s.prereqs = s.d.prereqs.map((n) => {
      const p = byName.get(n);
      if (!p) throw new Error(`check ${s.d.name}: unknown prerequisite ${n}`);
      return p;
    });
  }
  const enable = (c: CheckState, warn: boolean, error: boolean): void => {
    if ((warn && !c.warn) || (error && !c.error)) for (const p of c.prereqs) enable(p, warn, error);
    c.warn ||= warn;
    c.error ||= error;
  };
  const disable = (c: CheckState, warn: boolean, error: boolean): void => {
    if ((warn && c.warn) || (error && c.error)) {
      for (const cc of states) if (cc.prereqs.includes(c)) disable(cc, warn, error);
    }
    c.warn = c.warn && !warn;
    c.error = c.error && !error;
  };
  for (const sw of switches) {
    let name = sw.name;
    let on = true;
    if (name.startsWith('no-') || name.startsWith('no_')) {
      name = name.slice(3);
      on = false;
    }
    const c = byName.get(name);
    if (!c) throw new UnknownCheckError(name);
    const warn = sw.kind === 'W';
    if (on) enable(c, warn, !warn);
    else disable(c, warn, !warn);
  }
  return states;
}

/** Runs the enabled checks of `table` over `tree` (dtc's process_checks). Fixup checks modify the tree. */
export function runChecks(tree: DeviceTree, table: CheckDescriptor[], opts: CheckRunOptions = {}): CheckRunResult {
  const states = prepareChecks(table, opts.switches);
  const diagnostics: Diagnostic[] = [];
  const quiet = opts.quiet ?? 0;
  const outName = opts.outName === undefined || opts.outName === '-' ? '<stdout>' : opts.outName;
  const shared = { addrCells: new Map<Node, number>(), sizeCells: new Map<Node, number>(), state: opts.state ?? new Map<string, unknown>() };

  const emit = (c: CheckState, node: Node | null, prop: Property | undefined, message: string): void => {
    if (!(c.warn && quiet < 1) && !(c.error && quiet < 2)) return;
    const pos = prop?.pos ?? node?.pos;
    let text = '';
    if (node) text = prop ? `${nodePath(node)}:${prop.name}: ` : `${nodePath(node)}: `;
    const d: Diagnostic = { severity: c.error ? 'error' : 'warning', check: c.d.name, message: text + message };
    if (pos) d.pos = pos;
    else d.noPosName = outName;
    if (!prop && pos && node?.alsoDefinedAt?.length) d.alsoDefinedAt = node.alsoDefinedAt;
    diagnostics.push(d);
  };

  // Names of the tree's live properties, gathered once when a check with onlyWithProperty first asks.
  let names: Set<string> | undefined;
  const liveNames = (): Set<string> => {
    if (names) return names;
    const set = new Set<string>();
    const gather = (n: Node): void => {
      for (const p of n.properties) if (!p.deleted) set.add(p.name);
      for (const c of n.children) if (!c.deleted) gather(c);
    };
    gather(tree.root);
    return (names = set);
  };

  const run = (c: CheckState): boolean => {
    let error = false;
    if (c.inProgress) throw new Error(`check ${c.d.name}: prerequisite loop`);
    if (c.status === 'unchecked') {
      c.inProgress = true;
      for (const p of c.prereqs) {
        // dtc writes `error = error || run_check(prq)`: once an error is seen, later checks do not run.
        error = error || run(p);
        if (p.status !== 'passed') {
          c.status = 'prereq';
          emit(c, null, undefined, `Failed prerequisite '${p.d.name}'`);
        }
      }
      if (c.status === 'unchecked') {
        const ctx: CheckContext = {
          tree,
          check: c.d,
          symbols: opts.symbols ?? false,
          plugin: opts.plugin ?? tree.plugin,
          ...shared,
          fail(node, message) {
            c.status = 'failed';
            emit(c, node, undefined, message);
          },
          failProp(node, prop, message) {
            c.status = 'failed';
            emit(c, node, prop, message);
          },
        };
        if (c.d.fn && (c.d.onlyWithProperty === undefined || liveNames().has(c.d.onlyWithProperty))) walk(tree.root, c.d.fn, ctx);
        if (c.status === 'unchecked') c.status = 'passed';
      }
      c.inProgress = false;
    }
    if (c.status !== 'passed' && c.error) error = true;
    return error;
  };

  let error = false;
  // As dtc's process_checks (`error = error || run_check(c)`), the first failing error-level check
  // stops the run: later checks are skipped.
  for (const c of states) if (c.warn || c.error) error = error || run(c);
  return { diagnostics, error };
}

/** Pre-order over live nodes; children are read after the parent's check ran (a check may delete them). */
function walk(node: Node, f: (ctx: CheckContext, n: Node) => void, ctx: CheckContext): void {
  f(ctx, node);
  // An indexed loop and the check passed down (no closure per check): this runs ~80 times per node.
  const cs = node.children;
  for (let i = 0; i < cs.length; i++) {
    const child = cs[i]!;
    if (!child.deleted) walk(child, f, ctx);
  }
}

/** One diagnostic as dtc prints it on standard error (check results and syntax errors). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? formatPos(d.pos) : (d.noPosName ?? '<stdout>');
  if (d.check) {
    let s = `${where}: ${d.severity === 'error' ? 'ERROR' : 'Warning'} (${d.check}): ${d.message}\n`;
    for (const p of d.alsoDefinedAt ?? []) s += `  also defined at ${formatPos(p)}\n`;
    return s;
  }
  const prefix = d.prefix ?? (d.severity === 'error' ? 'Error' : 'Warning');
  // dtc's die() messages carry no position (we keep one in `pos` for editors).
  return d.pos && prefix !== 'FATAL ERROR' ? `${prefix}: ${where} ${d.message}\n` : `${prefix}: ${d.message}\n`;
}
