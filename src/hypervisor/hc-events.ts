// event_channel_op (32) with the 2-level ABI. init_control answers -ENOSYS so the guest keeps 2-level.
import { E, EVTCHNOP_NAMES, VIRQ_CONSOLE, VIRQ_NAMES } from './abi';
import { hex, type CallContext } from './hypercall-context';
import { isSelf } from './hc-memory';

export function eventChannelOp(ctx: CallContext, [cmd, arg]: number[]): number {
  const { dom, mem, decoded } = ctx;
  const ev = dom.events;
  decoded.cmd = EVTCHNOP_NAMES[cmd] ?? `unknown(${cmd})`;
  switch (cmd) {
    case 1: { // bind_virq {u32 virq, u32 vcpu, u32 port out}
      const virq = mem.u32(arg), vcpu = mem.u32(arg + 4);
      Object.assign(decoded, { virq: VIRQ_NAMES[virq] ?? virq, vcpu });
      const p = ev.bindVirq(virq, vcpu);
      if (p < 0) return p;
      mem.setU32(arg + 8, p);
      decoded.port = p;
      // Input typed before the console VIRQ was bound would never be announced (Xen drops that
      // notification); announcing it at bind time lets piped input reach a guest that binds late.
      if (virq === VIRQ_CONSOLE && dom.pendingConsoleInput > 0) ev.raiseVirq(VIRQ_CONSOLE, 0);
      return 0;
    }
    case 7: { // bind_ipi {u32 vcpu, u32 port out}
      const vcpu = mem.u32(arg);
      decoded.vcpu = vcpu;
      const p = ev.bindIpi(vcpu);
      if (p < 0) return p;
      mem.setU32(arg + 4, p);
      decoded.port = p;
      return 0;
    }
    case 6: { // alloc_unbound {u16 dom, u16 remote_dom, u32 port out}
      const d = mem.u16(arg), remote = mem.u16(arg + 2);
      Object.assign(decoded, { dom: hex(d), remote_dom: hex(remote) });
      if (!isSelf(d)) return E.SRCH;
      const p = ev.allocUnbound(isSelf(remote) ? 0 : remote);
      if (p < 0) return p;
      mem.setU32(arg + 4, p);
      decoded.port = p;
      return 0;
    }
    case 0: { // bind_interdomain {u16 remote_dom, u32 remote_port, u32 local_port out}
      const remote = mem.u16(arg), rport = mem.u32(arg + 4);
      Object.assign(decoded, { remote_dom: hex(remote), remote_port: rport });
      if (!isSelf(remote)) return E.SRCH; // there is no other domain
      const p = ev.bindInterdomain(rport, 0);
      if (p < 0) return p;
      mem.setU32(arg + 8, p);
      decoded.port = p;
      return 0;
    }
    case 3: { const port = mem.u32(arg); decoded.port = port; return ev.close(port, 0); }
    case 4: { const port = mem.u32(arg); decoded.port = port; return ev.send(port); }
    case 9: { const port = mem.u32(arg); decoded.port = port; return ev.unmask(port); }
    case 8: { // bind_vcpu {u32 port, u32 vcpu}
      const port = mem.u32(arg), vcpu = mem.u32(arg + 4);
      Object.assign(decoded, { port, vcpu });
      return ev.bindVcpu(port, vcpu);
    }
    case 5: { // status {u16 dom, u32 port, u32 status out, u32 vcpu out, union out}
      const d = mem.u16(arg), port = mem.u32(arg + 4);
      Object.assign(decoded, { dom: hex(d), port });
      if (!isSelf(d)) return E.SRCH;
      if (!ev.isValid(port)) return E.INVAL;
      const s = ev.state(port);
      const out = new Uint8Array(16);
      const dv = new DataView(out.buffer);
      dv.setUint32(0, ev.statusCode(port), true);
      dv.setUint32(4, ev.vcpuOf(port), true);
      if (s.kind === 'unbound') dv.setUint16(8, s.remoteDom, true);
      else if (s.kind === 'interdomain') { dv.setUint16(8, 0, true); dv.setUint32(12, s.remotePort, true); }
      else if (s.kind === 'virq') dv.setUint32(8, s.virq, true);
      mem.write(arg + 8, out);
      decoded.status = ev.statusCode(port);
      return 0;
    }
    case 11: return E.NOSYS; // init_control: FIFO ABI not offered, the guest stays on 2-level
    case 12: case 13: return E.NOSYS; // expand_array, set_priority: FIFO only
    case 2: return E.NOSYS; // bind_pirq: no physical interrupts are routed to this dom0
    default: return E.NOSYS;
  }
}
