// The containers behind DAP variable references: register groups, decoded fields, globals, the boot
// record and the current hypercall. The session hands out handles to these and resolves them back.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, formatValue } from '../expr';
import { formatRegister, type RegisterEntry } from '../runtime/registers';
import { memoryReference } from '../runtime/memory';
import type { DebugRuntime } from '../runtime/runtime';
import type { GlobalInfo } from '../runtime/symbols';
import type { LocalInfo } from '../runtime/locals';
import type { Die } from '../dwarf/info';
import type { BootRecord, HypercallRecord } from '../protocol';

export type Container =
  | { kind: 'registers'; cpu: number; entries: () => RegisterEntry[]; prefix: string }
  | { kind: 'frameRegisters'; cpu: number; regs: (number | undefined)[] }
  | { kind: 'fields'; fields: () => { name: string; value: string }[] }
  | { kind: 'groups'; groups: () => { name: string; container: Container }[] }
  | { kind: 'globals'; cpu: number }
  | { kind: 'locals'; cpu: number; index: number; scope?: Die }
  | { kind: 'record'; value: () => Record<string, unknown> | undefined };

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/**
 * A register as a variable. `mapped` says whether a value is a readable guest address: such values
 * (any core register holding a pointer, not only sp/lr/pc) get a memoryReference for the memory view.
 */
export function registerVariable(e: RegisterEntry, prefix: string, child: (c: Container) => number, mapped: (a: number) => boolean = () => false): DebugProtocol.Variable {
  const v: DebugProtocol.Variable = {
    name: e.name, value: formatRegister(e), variablesReference: 0,
    evaluateName: prefix === '$' ? `$${e.name}` : undefined,
    presentationHint: e.set ? undefined : { attributes: ['readOnly'] },
  };
  if (e.fields) v.variablesReference = child({ kind: 'fields', fields: e.fields });
  const value = e.bits === 32 ? Number(e.get()) : undefined;
  if (e.address || e.name === 'pc' || e.name === 'sp' || e.name === 'lr' || (value !== undefined && !e.fields && mapped(value))) v.memoryReference = memoryReference(value ?? Number(e.get()));
  return v;
}

export function globalVariable(g: GlobalInfo, rt: DebugRuntime, cpu: number): DebugProtocol.Variable {
  let value: string;
  try {
    value = formatValue(evaluate(g.name, rt.evalContext(cpu)));
  } catch (e) {
    value = `<${(e as Error).message}>`;
  }
  const bytes = rt.memory.readExact(g.address, g.size);
  if (!bytes) value = '<unreadable>';
  return { name: g.name, value, type: g.typeName, evaluateName: g.name, variablesReference: 0, memoryReference: memoryReference(g.address) };
}

/** A parameter or local variable: its value read from the frame, or why it cannot be shown. */
export function localVariable(l: LocalInfo, rt: DebugRuntime): DebugProtocol.Variable {
  const v: DebugProtocol.Variable = { name: l.name, value: '', type: l.typeName, evaluateName: l.name, variablesReference: 0 };
  if (l.unavailable && !l.address) { v.value = `<${l.unavailable}>`; return v; }
  if (l.value) {
    // In registers or computed: no memory reference (the Registers scope has the registers).
    let x = 0n;
    for (let k = l.value.length - 1; k >= 0; k--) x = (x << 8n) | BigInt(l.value[k]);
    v.value = formatValue({ type: l.type, v: l.type.signed ? BigInt.asIntN(l.type.bits, x) : BigInt.asUintN(l.type.bits, x) });
    if (l.where) v.presentationHint = { attributes: ['readOnly'] };
    return v;
  }
  v.memoryReference = memoryReference(l.address);
  if (l.unavailable) { v.value = `{…} at 0x${l.address.toString(16)}`; return v; }
  const bytes = rt.memory.readExact(l.address, l.size);
  if (!bytes) { v.value = '<unreadable>'; return v; }
  let x = 0n;
  for (let k = bytes.length - 1; k >= 0; k--) x = (x << 8n) | BigInt(bytes[k]);
  v.value = formatValue({ type: l.type, v: l.type.signed ? BigInt.asIntN(l.type.bits, x) : BigInt.asUintN(l.type.bits, x) });
  return v;
}

/** A plain record (boot record, hypercall) flattened into variables; numbers shown in hex with a memory reference. */
export function recordVariables(rec: Record<string, unknown>, child: (c: Container) => number): DebugProtocol.Variable[] {
  return Object.entries(rec).filter(([, v]) => v !== undefined).map(([name, v]) => {
    if (typeof v === 'number') return { name, value: hex(v), variablesReference: 0, memoryReference: memoryReference(v) };
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
      return { name, value: `[${v.map((x) => hex(x as number)).join(', ')}]`, variablesReference: child({ kind: 'record', value: () => Object.fromEntries(v.map((x, i) => [String(i), x])) }) };
    }
    if (v && typeof v === 'object') return { name, value: Array.isArray(v) ? `[${v.length}]` : '{…}', variablesReference: child({ kind: 'record', value: () => v as Record<string, unknown> }) };
    return { name, value: typeof v === 'string' ? JSON.stringify(v) : String(v), variablesReference: 0 };
  });
}

export function bootVariables(b: BootRecord): Record<string, unknown> {
  return {
    protocol: b.protocol, entry: b.entry, registers: b.registers, kernel: b.kernel, dtb: b.dtb, initrd: b.initrd,
    bootargs: b.bootargs, ram: b.ram, log: b.log,
  };
}

export function callVariables(c: HypercallRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { name: c.name, nr: c.nr, kind: c.kind, vcpu: c.vcpu, pc: c.pc };
  c.args.forEach((a, i) => { out[`a${i}`] = a; });
  for (const [k, v] of Object.entries(c.decoded)) if (k !== 'signature' && k !== 'argc') out[k] = v;
  if (c.text !== undefined) out.text = c.text;
  if (c.result !== undefined) out.result = c.result;
  return out;
}
