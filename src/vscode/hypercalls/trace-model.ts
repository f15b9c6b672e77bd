// The hypercall trace the view shows: the most recent calls in issue order (bounded), counts per hypercall
// over the whole session (never bounded), and the text that describes one call.
import type { HypercallRecord } from '../../debug/protocol';

export interface HypercallCount {
  name: string;
  nr: number;
  kind: HypercallRecord['kind'];
  count: number;
}

export class HypercallTrace {
  private records: HypercallRecord[] = [];
  private readonly bySeq = new Map<number, HypercallRecord>();
  private readonly counts = new Map<string, HypercallCount>();
  total = 0;

  constructor(private readonly maxEntries: () => number) {}

  /** Adds records (new ones, or updates of a call seen before it returned). Returns true if anything changed. */
  add(records: HypercallRecord[]): boolean {
    let changed = false;
    for (const r of records) {
      const seen = this.bySeq.get(r.seq);
      if (seen) {
        Object.assign(seen, r);
        changed = true;
        continue;
      }
      this.records.push(r);
      this.bySeq.set(r.seq, r);
      const key = `${r.kind}:${r.nr}`;
      const c = this.counts.get(key);
      if (c) c.count++;
      else this.counts.set(key, { name: r.name, nr: r.nr, kind: r.kind, count: 1 });
      this.total++;
      changed = true;
    }
    if (!changed) return false;
    // Records may arrive batched from several vCPUs; keep issue order.
    if (records.length > 1 || (this.records.length > 1 && this.records[this.records.length - 2].seq > this.records[this.records.length - 1].seq)) {
      this.records.sort((a, b) => a.seq - b.seq);
    }
    const max = this.maxEntries();
    if (this.records.length > max) {
      for (const r of this.records.splice(0, this.records.length - max)) this.bySeq.delete(r.seq);
    }
    return true;
  }

  clear(): void {
    this.records = [];
    this.bySeq.clear();
    this.counts.clear();
    this.total = 0;
  }

  /** Kept records, oldest first. */
  entries(): readonly HypercallRecord[] {
    return this.records;
  }

  /** Counts per hypercall, most frequent first (ties by number). */
  countsByCall(): HypercallCount[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || a.nr - b.nr);
  }

  get dropped(): number {
    return this.total - this.records.length;
  }
}

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/** `#12 console_io(CONSOLEIO_write, "hello") = 0` style one-line summary. */
export function describeHypercall(r: HypercallRecord): string {
  const decodedEntries = Object.entries(r.decoded ?? {});
  const args = decodedEntries.length
    ? decodedEntries.map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : hex(v)}`).join(', ')
    : r.args.map(hex).join(', ');
  const result = r.result === undefined ? ' (pending)' : ` = ${resultText(r.result)}`;
  return `${r.name}(${args})${result}`;
}

/** Xen returns negative errno values; show them as such. */
export function resultText(v: number): string {
  const s = v | 0;
  if (s < 0 && s > -4096) return `${s} (${ERRNO[-s] ?? 'error'})`;
  return hex(v);
}

const ERRNO: Record<number, string> = {
  1: '-EPERM', 2: '-ENOENT', 3: '-ESRCH', 4: '-EINTR', 5: '-EIO', 11: '-EAGAIN', 12: '-ENOMEM', 13: '-EACCES', 14: '-EFAULT',
  16: '-EBUSY', 17: '-EEXIST', 19: '-ENODEV', 22: '-EINVAL', 28: '-ENOSPC', 38: '-ENOSYS', 95: '-EOPNOTSUPP',
};

/** Multi-line description for a tooltip or hover: every raw argument and every decoded field. */
export function hypercallDetails(r: HypercallRecord): string {
  const lines = [`#${r.seq} ${r.kind === 'smccc' ? 'SMCCC' : 'hypercall'} ${r.name} (nr ${r.nr}) on vCPU ${r.vcpu}`, `time ${r.time}, pc ${hex(r.pc)}`];
  r.args.forEach((a, i) => lines.push(`a${i} = ${hex(a)}`));
  for (const [k, v] of Object.entries(r.decoded ?? {})) lines.push(`${k}: ${typeof v === 'string' ? v : hex(v)}`);
  lines.push(r.result === undefined ? 'result: pending (stopped before the call is handled)' : `result: ${resultText(r.result)}`);
  return lines.join('\n');
}

export interface BreakChoice {
  label: string;
  description: string;
  /** Function breakpoint name the adapter understands: `hypercall:NAME`. */
  functionName: string;
  /** Condition over name, nr, a0..a4 and decoded fields (the adapter's syntax); absent = every call. */
  condition?: string;
}

/**
 * "Break on this hypercall": stop on every call of this hypercall, or narrow to calls with this call's first
 * argument (its command for multiplexed hypercalls such as console_io or event_channel_op).
 */
export function breakChoices(r: Pick<HypercallRecord, 'name' | 'nr' | 'args' | 'decoded'>, existingCondition?: string): BreakChoice[] {
  const functionName = `hypercall:${r.name}`;
  const out: BreakChoice[] = [{ label: `Every ${r.name} call`, description: functionName, functionName }];
  if (r.args.length) {
    const clause = `a0 == ${hex(r.args[0])}`;
    const cmd = Object.entries(r.decoded ?? {}).find(([k]) => k === 'cmd' || k === 'op');
    const cond = existingCondition && !existingCondition.split('||').map((s) => s.trim()).includes(clause) ? `${existingCondition} || ${clause}` : clause;
    out.push({ label: `Only ${r.name} calls with ${cmd ? `${cmd[0]} ${cmd[1]}` : clause}`, description: `condition: ${cond}`, functionName, condition: cond });
  }
  return out;
}
