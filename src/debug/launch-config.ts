// The `launch` attributes of a xenarm debug configuration: their types, defaults and validation.
// Every problem is reported as one clear message naming the attribute (VS Code shows it in a dialog),
// and nothing here throws anything but LaunchConfigError.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** 'dtb': Xen dom0 with a device tree in r2 (the default; 'xen-dom0' is accepted for it); 'atags': dom0 with the
 *  legacy ATAGS list and a machine number in r1; 'baremetal': an ELF program on the virt board without Xen. */
export type BootProtocol = 'baremetal' | 'dtb' | 'atags';

export interface LaunchConfig {
  kernel: string;
  kernelBytes: Uint8Array;
  /** ELF with debug information (the kernel itself when it is an ELF and `symbols` is not given). */
  symbols?: string;
  symbolsBytes?: Uint8Array;
  initrd?: string;
  initrdBytes?: Uint8Array;
  bootargs: string;
  memoryMiB: number;
  cpus: number;
  dtb?: string;
  dtbBytes?: Uint8Array;
  dtOverlay: { path: string; bytes: Uint8Array }[];
  bootProtocol: BootProtocol;
  machineId: number;
  semihosting: boolean;
  stopOnEntry: boolean;
  /** 0 = unlimited. */
  maxInstructions: number;
  /** Directory relative paths are resolved against (the launch's cwd, else the adapter's). */
  cwd: string;
}

export class LaunchConfigError extends Error {}

const KNOWN = new Set(['type', 'request', 'name', 'kernel', 'symbols', 'initrd', 'bootargs', 'memory', 'cpus', 'dtb', 'dtOverlay',
  'bootProtocol', 'machineId', 'semihosting', 'stopOnEntry', 'maxInstructions', 'cwd', 'noDebug', '__sessionId', '__restart',
  '__configurationTarget', 'presentation', 'preLaunchTask', 'postDebugTask', 'internalConsoleOptions', 'debugServer', 'suppressMultipleSessionWarning']);

const isElf = (b: Uint8Array) => b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

function readInput(attr: string, value: unknown, cwd: string): { path: string; bytes: Uint8Array } {
  if (typeof value !== 'string' || value.trim() === '') throw new LaunchConfigError(`launch attribute "${attr}" must be a file path (a non-empty string)`);
  const path = resolve(cwd, value);
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new LaunchConfigError(`${attr}: file not found: ${path}`);
  }
  if (st.isDirectory()) throw new LaunchConfigError(`${attr}: ${path} is a directory, not a file`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new LaunchConfigError(`${attr}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (bytes.length === 0) throw new LaunchConfigError(`${attr}: ${path} is empty`);
  return { path, bytes };
}

function integer(attr: string, value: unknown, def: number, min: number, max: number): number {
  if (value === undefined) return def;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new LaunchConfigError(`launch attribute "${attr}" must be an integer, not ${JSON.stringify(value)}`);
  if (value < min || value > max) throw new LaunchConfigError(`launch attribute "${attr}" must be between ${min} and ${max}, not ${value}`);
  return value;
}

function boolean(attr: string, value: unknown, def: boolean): boolean {
  if (value === undefined) return def;
  if (typeof value !== 'boolean') throw new LaunchConfigError(`launch attribute "${attr}" must be true or false, not ${JSON.stringify(value)}`);
  return value;
}

/** Checks raw launch arguments and reads every file they name. */
export function parseLaunchConfig(raw: Record<string, unknown>): LaunchConfig {
  for (const k of Object.keys(raw)) {
    if (!KNOWN.has(k)) throw new LaunchConfigError(`unknown launch attribute "${k}" (known: kernel, symbols, initrd, bootargs, memory, cpus, dtb, dtOverlay, bootProtocol, machineId, semihosting, stopOnEntry, maxInstructions)`);
  }
  const cwd = typeof raw.cwd === 'string' ? raw.cwd : process.cwd();
  if (raw.kernel === undefined) throw new LaunchConfigError('launch attribute "kernel" is required: the guest image to boot');
  const kernel = readInput('kernel', raw.kernel, cwd);
  let protocol = raw.bootProtocol ?? (isElf(kernel.bytes) && raw.semihosting === true ? 'baremetal' : 'dtb');
  if (protocol === 'xen-dom0') protocol = 'dtb';
  if (protocol !== 'baremetal' && protocol !== 'dtb' && protocol !== 'atags') {
    throw new LaunchConfigError(`launch attribute "bootProtocol" must be "dtb", "atags" or "baremetal", not ${JSON.stringify(protocol)}`);
  }
  const cfg: LaunchConfig = {
    kernel: kernel.path, kernelBytes: kernel.bytes,
    bootargs: '', memoryMiB: integer('memory', raw.memory, protocol === 'baremetal' ? 64 : 256, 1, 3072),
    cpus: integer('cpus', raw.cpus, 1, 1, 8), dtOverlay: [], bootProtocol: protocol,
    machineId: integer('machineId', raw.machineId, 2272, 0, 0xffffffff),
    semihosting: boolean('semihosting', raw.semihosting, protocol === 'baremetal'),
    stopOnEntry: boolean('stopOnEntry', raw.stopOnEntry, false),
    maxInstructions: integer('maxInstructions', raw.maxInstructions, 0, 0, Number.MAX_SAFE_INTEGER),
    cwd,
  };
  if (raw.bootargs !== undefined) {
    if (typeof raw.bootargs !== 'string') throw new LaunchConfigError('launch attribute "bootargs" must be a string');
    cfg.bootargs = raw.bootargs;
  }
  if (raw.symbols !== undefined && raw.symbols !== '') {
    const s = readInput('symbols', raw.symbols, cwd);
    if (!isElf(s.bytes)) throw new LaunchConfigError(`symbols: ${s.path} is not an ELF file`);
    cfg.symbols = s.path; cfg.symbolsBytes = s.bytes;
  } else if (isElf(kernel.bytes)) {
    cfg.symbols = kernel.path; cfg.symbolsBytes = kernel.bytes;
  }
  if (raw.initrd !== undefined && raw.initrd !== '') { const f = readInput('initrd', raw.initrd, cwd); cfg.initrd = f.path; cfg.initrdBytes = f.bytes; }
  if (raw.dtb !== undefined && raw.dtb !== '') { const f = readInput('dtb', raw.dtb, cwd); cfg.dtb = f.path; cfg.dtbBytes = f.bytes; }
  if (raw.dtOverlay !== undefined) {
    const list = typeof raw.dtOverlay === 'string' ? [raw.dtOverlay] : raw.dtOverlay;
    if (!Array.isArray(list)) throw new LaunchConfigError('launch attribute "dtOverlay" must be a list of file paths');
    cfg.dtOverlay = list.map((p, i) => readInput(`dtOverlay[${i}]`, p, cwd));
  }
  if (protocol === 'baremetal') {
    if (cfg.initrd) throw new LaunchConfigError('initrd: the "baremetal" boot protocol loads no initrd (use "dtb" or "atags")');
    if (!isElf(kernel.bytes)) throw new LaunchConfigError(`kernel: ${kernel.path} is not an ELF file; the "baremetal" boot protocol loads ELF programs`);
  }
  return cfg;
}
