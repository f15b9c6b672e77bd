// A Xen dom0 guest built and run by the hypervisor layer (src/hypervisor/dom0.ts), wrapped for the
// debugger: its PV console, its hypercall stream (with stops before a call), its boot record and the
// device tree it was given.
import { Dom0, Dom0Error, type HypercallRecord as XenCall } from '../../hypervisor/dom0';
import { treeToDts } from '../../devicetree/index';
import { Access } from '../../machine/arm32/contracts';
import type { LaunchConfig } from '../launch-config';
import type { BootRecord, HypercallRecord } from '../protocol';
import { TargetError } from './baremetal-target';
import type { DebugTarget, TargetRunResult } from './target';

/** Constant-name prefixes of each hypercall's command argument (Xen's public headers). */
const CMD_PREFIX: Record<string, string> = {
  console_io: 'CONSOLEIO_', sched_op: 'SCHEDOP_', memory_op: 'XENMEM_', grant_table_op: 'GNTTABOP_', event_channel_op: 'EVTCHNOP_',
  vcpu_op: 'VCPUOP_', hvm_op: 'HVMOP_', xen_version: 'XENVER_', physdev_op: 'PHYSDEVOP_', platform_op: 'XENPF_', vm_assist: 'VMASST_CMD_',
};
/** Arguments of the PSCI functions (SMCCC calls show only these). */
const PSCI_ARGC: Record<string, number> = { PSCI_VERSION: 0, CPU_SUSPEND: 3, CPU_OFF: 0, CPU_ON: 3, AFFINITY_INFO: 2, MIGRATE_INFO_TYPE: 0, SYSTEM_OFF: 0, SYSTEM_RESET: 0, PSCI_FEATURES: 1, SMCCC_VERSION: 0, SMCCC_ARCH_FEATURES: 1 };
const ARGC: Record<string, number> = { console_io: 3, sched_op: 2, memory_op: 2, grant_table_op: 3, event_channel_op: 2, vcpu_op: 3, hvm_op: 2, xen_version: 2, vm_assist: 2, multicall: 2, platform_op: 1, physdev_op: 2 };

export class XenTarget implements DebugTarget {
  readonly dom0: Dom0;
  readonly boot: BootRecord;
  onConsole: DebugTarget['onConsole'] = null;
  onCall: ((rec: HypercallRecord) => boolean) | null = null;
  readonly calls: HypercallRecord[] = [];
  exitStatus: number | null = null;
  private readonly decoder = new TextDecoder();

  constructor(cfg: LaunchConfig) {
    if (cfg.dtOverlay.length > 1) throw new TargetError(`dtOverlay: ${cfg.dtOverlay.length} overlays given; the hypervisor merges one (combine them into one DTS file with /include/)`);
    try {
      this.dom0 = Dom0.create({
        kernel: cfg.kernelBytes, kernelPath: cfg.kernel, initrd: cfg.initrdBytes, initrdPath: cfg.initrd,
        bootargs: cfg.bootargs, memoryMiB: cfg.memoryMiB, cpus: cfg.cpus,
        dtb: cfg.dtb ? { bytes: cfg.dtbBytes!, path: cfg.dtb } : undefined,
        dtOverlay: cfg.dtOverlay[0],
        bootProtocol: cfg.bootProtocol === 'atags' ? 'atags' : 'dtb',
        machineId: cfg.bootProtocol === 'atags' ? cfg.machineId : undefined,
      });
    } catch (e) {
      // The hypervisor words its errors for the command line; name the launch attributes instead.
      if (e instanceof Dom0Error) throw new TargetError(e.message.replace(/--memory\b/g, 'the "memory" launch attribute').replace(/--(dtb|initrd|bootargs)\b/g, '"$1"'));
      throw e;
    }
    const d = this.dom0;
    const b = d.boot;
    this.boot = {
      protocol: 'xen-dom0', entry: b.entry,
      registers: { r0: b.r0, r1: b.r1, r2: b.r2, pc: b.pc, cpsr: b.cpsr, sctlr: b.sctlr },
      kernel: { path: cfg.kernel, start: b.loadAddress, end: b.loadEnd },
      dtb: { start: b.dtbAddress, size: b.dtbSize },
      initrd: b.initrdAddress !== undefined ? { start: b.initrdAddress, end: b.initrdAddress + (b.initrdSize ?? 0) } : undefined,
      ram: d.board.bus.rams.map((r) => ({ base: r.base, size: r.size })),
      bootargs: cfg.bootargs,
      log: [`${b.description}: loaded at 0x${b.loadAddress.toString(16)}..0x${b.loadEnd.toString(16)}, entry 0x${b.entry.toString(16)}`,
        `${b.protocol === 'dtb' ? 'device tree' : 'ATAGS'} at 0x${b.dtbAddress.toString(16)} (${b.dtbSize} bytes)`],
    };
    d.onConsoleOutput = (bytes) => this.onConsole?.(this.decoder.decode(bytes, { stream: true }), 'hvc0');
    // The hypervisor asks before a call with a probe record (seq 0), then reports it twice (before it
    // runs and with its result). One record object follows the call through all three.
    d.shouldStopOnHypercall = (r) => {
      const rec = this.fresh(r);
      this.pending[r.vcpu] = rec;
      return this.onCall?.(rec) ?? false;
    };
    d.onHypercall = (r) => {
      if (r.result === undefined) {
        const p = this.pending[r.vcpu];
        const rec = p && p.pc === r.pc ? p : this.fresh(r);
        this.pending[r.vcpu] = undefined;
        rec.seq = r.seq;
        this.refresh(rec, r);
        this.inFlight.set(r.seq, rec);
        return;
      }
      const rec = this.inFlight.get(r.seq) ?? this.fresh(r);
      this.inFlight.delete(r.seq);
      this.refresh(rec, r);
      rec.result = r.result;
      if (r.text !== undefined) rec.text = r.text;
      this.calls.push(rec);
    };
  }

  private readonly pending: (HypercallRecord | undefined)[] = [];
  private readonly inFlight = new Map<number, HypercallRecord>();

  private fresh(r: XenCall): HypercallRecord {
    const rec: HypercallRecord = { seq: r.seq, vcpu: r.vcpu, kind: r.kind === 'xen' ? 'hypercall' : 'smccc', nr: r.nr, name: r.name, args: r.args.slice(), decoded: {}, pc: r.pc, time: r.icount };
    if (r.name === 'console_io' && r.args[0] === 0) rec.text = this.readText(r.vcpu, r.args[2], r.args[1]);
    this.refresh(rec, r);
    return rec;
  }

  /** Merges the hypervisor's decoded fields and rebuilds the call's one-line signature. */
  private refresh(rec: HypercallRecord, r: XenCall): void {
    Object.assign(rec.decoded, r.decoded);
    const argc = r.kind === 'smccc' ? PSCI_ARGC[r.name] ?? r.args.length : ARGC[r.name] ?? 3;
    const args = r.args.slice(0, argc).map((a, i) => {
      if (i === 0 && r.kind === 'xen' && typeof rec.decoded.cmd === 'string' && CMD_PREFIX[r.name]) return CMD_PREFIX[r.name] + rec.decoded.cmd;
      return (a >>> 0) < 0x10000 ? String(a >>> 0) : '0x' + (a >>> 0).toString(16);
    });
    rec.decoded.signature = `${r.name}(${args.join(', ')})`;
    rec.decoded.argc = argc;
  }

  /** A console write's text, read through the calling vCPU's MMU (at most 4 KiB). */
  private readText(vcpu: number, va: number, count: number): string | undefined {
    const cpu = this.dom0.board.cpus[vcpu];
    const bytes: number[] = [];
    for (let i = 0; i < Math.min(count >>> 0, 4096); i++) {
      const pa = cpu.mem.probe((va + i) >>> 0, Access.Read, false);
      const b = pa < 0 ? null : this.dom0.board.bus.peek(pa, 1);
      if (!b) return undefined;
      bytes.push(b[0]);
    }
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }

  get cpus() { return this.dom0.board.cpus; }
  get bus() { return this.dom0.board.bus; }

  run(maxInstructions: number): TargetRunResult {
    const r = this.dom0.run(maxInstructions);
    switch (r.reason) {
      case 'shutdown': this.exitStatus = r.shutdown!.exitStatus; return { outcome: 'halted', instructions: r.instructions };
      case 'budget': return { outcome: 'limit', instructions: r.instructions };
      case 'timeout': return { outcome: 'timeout', instructions: r.instructions };
      case 'deadlock': return { outcome: 'deadlock', instructions: r.instructions };
      default: return { outcome: 'stopped', instructions: r.instructions, cpu: r.vcpu, reason: r.stopReason };
    }
  }

  vcpuOnline(i: number): boolean {
    return this.dom0.vcpus[i]?.online ?? false;
  }

  consoleInput(text: string): void {
    this.dom0.consoleInput(new TextEncoder().encode(text));
  }

  deviceTree(): { dtb: Uint8Array; address: number; dts?: string } | undefined {
    if (this.dom0.boot.protocol !== 'dtb') return undefined;
    let dts: string | undefined;
    try { dts = this.dom0.tree ? treeToDts(this.dom0.tree) : undefined; } catch { dts = undefined; }
    return { dtb: this.dom0.dtb, address: this.dom0.boot.dtbAddress, dts };
  }
}
