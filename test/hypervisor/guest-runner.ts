// Boots a Xen test guest (test/guests/xen, built with the cross compiler) as dom0 and collects what a
// test checks: PV console text, the hypercall trace, events, and how the run ended.
import { readFileSync } from 'node:fs';
import { Dom0, type Dom0Options, type Dom0RunResult, type HypercallRecord, type HypervisorEvent } from '../../src/hypervisor/dom0';

export interface GuestRun {
  dom0: Dom0;
  result: Dom0RunResult;
  console: string;
  calls: HypercallRecord[];
  events: HypervisorEvent[];
}

/** Lines "ok …" / "FAIL …" printed by the guest's check(), and its RESULT line. */
export function failedChecks(out: string): string[] {
  return out.split('\n').filter((l) => l.startsWith('FAIL'));
}

export async function xenGuest(name: string): Promise<string> {
  // @ts-ignore: plain ESM build script without type declarations
  const { buildXenGuests } = await import('../guests/xen/build.mjs');
  return (buildXenGuests([name]) as string[])[0];
}

/** Console input to type once the guest has printed `after`. */
export interface TypedInput { after: string; text: string }

export function bootGuest(path: string, opts: Partial<Dom0Options> = {}, budget = 20_000_000, prepare?: (d: Dom0) => void, input?: TypedInput): GuestRun {
  const kernel = new Uint8Array(readFileSync(path));
  const dom0 = Dom0.create({ kernel, kernelPath: path, ...opts });
  let console = '';
  const calls: HypercallRecord[] = [];
  const events: HypervisorEvent[] = [];
  let typed = false;
  dom0.onConsoleOutput = (b) => {
    console += Buffer.from(b).toString('latin1');
    if (input && !typed && console.includes(input.after)) { typed = true; dom0.consoleInput(Buffer.from(input.text, 'latin1')); }
  };
  dom0.onHypercall = (r) => { if (r.result !== undefined) calls.push(r); };
  dom0.onEvent = (e) => events.push(e);
  prepare?.(dom0);
  const result = dom0.run(budget);
  return { dom0, result, console, calls, events };
}
