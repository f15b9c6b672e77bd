// Event channels with the 2-level ABI (xen/common/event_channel.c, event_2l.c): ports with their
// binding (unbound, interdomain within dom0 itself, VIRQ, IPI), pending and mask bits in shared_info,
// the selector word and upcall flag in the target vCPU's vcpu_info, and the upcall raised as the event
// PPI on that vCPU's GIC interface (Xen marks it pending; the guest's handler clears upcall_pending).
import { E, EVTCHNSTAT, EVTCHN_2L_NR_CHANNELS, NR_VIRQS, SHARED_INFO, VCPU_INFO, VIRQ_PER_VCPU } from './abi';
import type { SharedArea } from './shared-pages';

export type PortState =
  | { kind: 'free' }
  | { kind: 'reserved' }
  | { kind: 'unbound'; remoteDom: number }
  | { kind: 'interdomain'; remotePort: number }
  | { kind: 'virq'; virq: number }
  | { kind: 'ipi' };

interface Port { state: PortState; vcpu: number }

/** Ports are made valid 64 at a time, as Xen's buckets. */
const BUCKET = 64;

export interface EventHost {
  readonly sharedInfo: SharedArea;
  vcpuInfo(vcpu: number): SharedArea;
  /** vcpu_info offset of vCPU `vcpu` inside its area. */
  vcpuInfoOffset(vcpu: number): number;
  readonly nrVcpus: number;
  /** Raises the event-channel PPI on the vCPU (the upcall). */
  raiseUpcall(vcpu: number): void;
}

export class EventChannels {
  private readonly ports: Port[] = [];
  /** virq → port, per vCPU. */
  private readonly virqs: number[][];

  constructor(private readonly host: EventHost) {
    this.virqs = Array.from({ length: host.nrVcpus }, () => new Array<number>(NR_VIRQS).fill(0));
    for (let i = 0; i < BUCKET; i++) this.ports.push({ state: { kind: 'free' }, vcpu: 0 });
    this.ports[0].state = { kind: 'reserved' }; // port 0 is never handed out
  }

  isValid(port: number): boolean { return port >= 0 && port < this.ports.length; }
  state(port: number): PortState { return this.ports[port].state; }
  vcpuOf(port: number): number { return this.ports[port].vcpu; }
  virqPort(vcpu: number, virq: number): number { return this.virqs[vcpu]?.[virq] ?? 0; }

  /** A free port, or -ENOSPC when the 2-level space is exhausted. */
  private alloc(state: PortState, vcpu: number): number {
    for (let p = 1; ; p++) {
      if (p >= EVTCHN_2L_NR_CHANNELS) return E.NOSPC;
      if (p >= this.ports.length) for (let i = 0; i < BUCKET; i++) this.ports.push({ state: { kind: 'free' }, vcpu: 0 });
      if (this.ports[p].state.kind === 'free') {
        this.ports[p] = { state, vcpu };
        // A reused port starts with clean pending and mask bits (evtchn_2l's port clearing on close).
        return p;
      }
    }
  }

  bindVirq(virq: number, vcpu: number): number {
    if (virq < 0 || virq >= NR_VIRQS) return E.INVAL;
    if (!VIRQ_PER_VCPU.has(virq) && vcpu !== 0) return E.INVAL;
    if (vcpu < 0 || vcpu >= this.host.nrVcpus) return E.NOENT;
    if (this.virqs[vcpu][virq]) return E.EXIST;
    const p = this.alloc({ kind: 'virq', virq }, vcpu);
    if (p > 0) this.virqs[vcpu][virq] = p;
    return p;
  }

  bindIpi(vcpu: number): number {
    if (vcpu < 0 || vcpu >= this.host.nrVcpus) return E.NOENT;
    return this.alloc({ kind: 'ipi' }, vcpu);
  }

  allocUnbound(remoteDom: number): number {
    return this.alloc({ kind: 'unbound', remoteDom }, 0);
  }

  /** Binds a new local port to `remotePort` of this same domain, which must be unbound and offered to us. */
  bindInterdomain(remotePort: number, selfDom: number): number {
    if (!this.isValid(remotePort)) return E.INVAL;
    const r = this.ports[remotePort].state;
    if (r.kind !== 'unbound' || r.remoteDom !== selfDom) return E.INVAL;
    const p = this.alloc({ kind: 'interdomain', remotePort }, 0);
    if (p < 0) return p;
    this.ports[remotePort].state = { kind: 'interdomain', remotePort: p };
    // Xen marks the new local port pending so neither side misses an event sent before the bind.
    this.setPending(p);
    return p;
  }

  close(port: number, selfDom: number): number {
    if (!this.isValid(port)) return E.INVAL;
    const s = this.ports[port].state;
    switch (s.kind) {
      case 'free': return 0;
      case 'reserved': return E.INVAL;
      case 'virq': this.virqs[this.ports[port].vcpu][s.virq] = 0; break;
      case 'interdomain':
        if (s.remotePort !== port) this.ports[s.remotePort].state = { kind: 'unbound', remoteDom: selfDom };
        break;
      default: break;
    }
    this.ports[port] = { state: { kind: 'free' }, vcpu: 0 };
    // evtchn_2l_clear_pending + unmask as Xen does when a port is freed.
    this.host.sharedInfo.testAndClearBit(SHARED_INFO.evtchn_pending, port);
    this.host.sharedInfo.testAndClearBit(SHARED_INFO.evtchn_mask, port);
    return 0;
  }

  send(port: number): number {
    if (!this.isValid(port)) return E.INVAL;
    const s = this.ports[port].state;
    switch (s.kind) {
      case 'interdomain': this.setPending(s.remotePort); return 0;
      case 'ipi': this.setPending(port); return 0;
      case 'unbound': return 0; // nobody listens yet: silently dropped
      default: return E.INVAL;
    }
  }

  bindVcpu(port: number, vcpu: number): number {
    if (vcpu < 0 || vcpu >= this.host.nrVcpus) return E.NOENT;
    if (!this.isValid(port)) return E.INVAL;
    const s = this.ports[port].state;
    if (s.kind === 'virq' && VIRQ_PER_VCPU.has(s.virq)) return E.INVAL;
    if (s.kind !== 'virq' && s.kind !== 'unbound' && s.kind !== 'interdomain') return E.INVAL;
    const old = this.ports[port].vcpu;
    if (s.kind === 'virq') { this.virqs[old][s.virq] = 0; this.virqs[vcpu][s.virq] = port; }
    this.ports[port].vcpu = vcpu;
    // A pending, unmasked event follows the port to its new vCPU.
    if (this.host.sharedInfo.testBit(SHARED_INFO.evtchn_pending, port)) this.markSelector(port, vcpu);
    return 0;
  }

  /** Raises a VIRQ on `vcpu` (0 for global VIRQs). Returns false when nothing is bound. */
  raiseVirq(virq: number, vcpu = 0): boolean {
    const p = this.virqs[vcpu]?.[virq];
    if (!p) return false;
    this.setPending(p);
    return true;
  }

  /** evtchn_2l_set_pending. */
  setPending(port: number): void {
    const si = this.host.sharedInfo;
    if (si.testAndSetBit(SHARED_INFO.evtchn_pending, port)) return;
    if (si.testBit(SHARED_INFO.evtchn_mask, port)) return;
    this.markSelector(port, this.ports[port].vcpu);
  }

  private markSelector(port: number, vcpu: number): void {
    const vi = this.host.vcpuInfo(vcpu), off = this.host.vcpuInfoOffset(vcpu);
    if (vi.testAndSetBit(off + VCPU_INFO.pending_sel, port >> 6)) return;
    this.markUpcall(vcpu);
  }

  /** vcpu_mark_events_pending: set evtchn_upcall_pending and inject the PPI on a 0→1 change. */
  markUpcall(vcpu: number): void {
    const vi = this.host.vcpuInfo(vcpu), off = this.host.vcpuInfoOffset(vcpu);
    if (vi.u8(off + VCPU_INFO.upcall_pending)) return;
    vi.setU8(off + VCPU_INFO.upcall_pending, 1);
    this.host.raiseUpcall(vcpu);
  }

  /** evtchn_2l_unmask. */
  unmask(port: number): number {
    if (!this.isValid(port)) return E.INVAL;
    const si = this.host.sharedInfo;
    if (si.testAndClearBit(SHARED_INFO.evtchn_mask, port) && si.testBit(SHARED_INFO.evtchn_pending, port)) {
      this.markSelector(port, this.ports[port].vcpu);
    }
    return 0;
  }

  isPending(port: number): boolean {
    return this.isValid(port) && this.host.sharedInfo.testBit(SHARED_INFO.evtchn_pending, port);
  }

  /** EVTCHNSTAT_* code of a port. */
  statusCode(port: number): number {
    const s = this.ports[port].state;
    switch (s.kind) {
      case 'free': case 'reserved': return EVTCHNSTAT.closed;
      case 'unbound': return EVTCHNSTAT.unbound;
      case 'interdomain': return EVTCHNSTAT.interdomain;
      case 'virq': return EVTCHNSTAT.virq;
      case 'ipi': return EVTCHNSTAT.ipi;
    }
  }

  /** Bound ports, for the debugger's view. */
  list(): { port: number; state: PortState; vcpu: number; pending: boolean; masked: boolean }[] {
    const out = [];
    for (let p = 1; p < this.ports.length; p++) {
      const s = this.ports[p];
      if (s.state.kind === 'free') continue;
      out.push({ port: p, state: s.state, vcpu: s.vcpu, pending: this.isPending(p), masked: this.host.sharedInfo.testBit(SHARED_INFO.evtchn_mask, p) });
    }
    return out;
  }
}
