// sched_op (29): yield, block, poll, shutdown and remote_shutdown (ending the run with the reason, as
// Xen shuts the hardware domain down), shutdown_code, watchdog, pin_override. block and poll really block the vCPU, as Xen 4.17's sched/core.c does on ARM, in virtual time: a
// blocked vCPU is idle, so when every vCPU is the board skips ahead to the next timer or poll timeout.
import { E, SCHEDOP_NAMES, SHUTDOWN_NAMES } from './abi';
import { hex, type CallContext } from './hypercall-context';

const MAX_POLL_PORTS = 128; // Xen's "fairly arbitrary limit"
const NS_PER_TICK = 16; // system time in ns is the 62.5 MHz counter × 16
const PSR_I = 0x80;

/**
 * SCHEDOP_block: Xen on ARM enables event delivery by clearing the guest's CPSR.I
 * (local_event_delivery_enable), then blocks unless an interrupt is already pending; any interrupt
 * injected into the vCPU (the event upcall, a timer) wakes it, and it takes that interrupt at once.
 */
function block(ctx: CallContext): void {
  const v = ctx.dom.vcpus[ctx.vcpu];
  v.setCpsr(v.getCpsr() & ~PSR_I);
  if (v.irqPending) return;
  v.block(() => v.irqPending);
  ctx.decoded.blocked = 'yes';
}

/**
 * SCHEDOP_poll {handle ports, u32 nr_ports, u64 timeout}: returns 0 at once when an interrupt is
 * deliverable or a listed port is pending, -EINVAL at the first invalid port (ports are read in order,
 * a bad list is -EFAULT); otherwise blocks until a listed port becomes pending, an interrupt is
 * injected (Xen's vcpu_kick also unblocks a poller), or the absolute system time `timeout` (ns, 0 for
 * none) passes. It does not unmask anything. One difference, on the safe side: an interrupt already
 * pending but masked by CPSR.I wakes the poll at once, where Xen would wait for the next injection.
 */
function poll(ctx: CallContext, arg: number): number {
  const { dom, mem, decoded } = ctx;
  const ports = mem.u64(arg), nr = mem.u32(arg + 8), timeout = mem.u64(arg + 16);
  Object.assign(decoded, { nr_ports: nr, timeout });
  if (nr > MAX_POLL_PORTS) return E.INVAL;
  const v = dom.vcpus[ctx.vcpu];
  if (v.irqPending && !(v.getCpsr() & PSR_I)) return 0; // local_events_need_delivery()
  const list: number[] = [];
  for (let i = 0; i < nr; i++) {
    const p = mem.u32(ports + i * 4);
    if (!dom.events.isValid(p)) return E.INVAL;
    if (dom.events.isPending(p)) return 0;
    list.push(p);
  }
  if (nr === 1) decoded.port = list[0];
  const now = dom.board.time;
  const wakeAt = timeout === 0 ? Infinity : Math.ceil(timeout / NS_PER_TICK);
  if (wakeAt <= now) return 0; // the timer is already due: Xen's poll_timer_fn unblocks at once
  v.block(() => v.irqPending || dom.board.time >= wakeAt || list.some((p) => dom.events.isPending(p)), wakeAt);
  decoded.blocked = 'yes';
  return 0;
}

/**
 * domain_shutdown for the hardware domain: the first shutdown code set (SCHEDOP_shutdown_code or this
 * call, as a u8) is the reason used, and hwdom_shutdown halts or reboots the machine — an unknown
 * reason reboots it (maybe_reboot), nothing is refused.
 */
function hwdomShutdown(ctx: CallContext, reason: number): void {
  const { dom, decoded } = ctx;
  if (dom.shutdownCode === null) dom.shutdownCode = reason;
  const code = dom.shutdownCode;
  if (code !== reason) decoded.shutdown_code = SHUTDOWN_NAMES[code] ?? code;
  dom.shutdown(code < SHUTDOWN_NAMES.length ? code : SHUTDOWN_reboot, ctx.vcpu);
  ctx.noReturn = true;
}

const SHUTDOWN_reboot = 1;
/** Xen's NR_CPUS for ARM (Kconfig default); the host here has one physical CPU per vCPU. */
const NR_CPUS = 128;
/** vCPUs with a temporary pin (SCHEDOP_pin_override), per domain. */
const pinned = new WeakMap<object, Set<number>>();

/** SCHEDOP_pin_override {s32 pcpu}: dom0 only; pins to a physical CPU, or (pcpu < 0) removes the pin. */
function pinOverride(ctx: CallContext, arg: number): number {
  const pcpu = ctx.mem.u32(arg) | 0;
  ctx.decoded.pcpu = pcpu;
  if (pcpu >= NR_CPUS) return E.INVAL;
  let set = pinned.get(ctx.dom);
  if (!set) pinned.set(ctx.dom, (set = new Set()));
  if (pcpu < 0) return set.delete(ctx.vcpu) ? 0 : E.INVAL; // nothing to undo is -EINVAL, as vcpu_temporary_affinity
  if (set.has(ctx.vcpu)) return E.BUSY;
  if (pcpu >= ctx.dom.nrVcpus) return E.INVAL; // no such physical CPU online
  set.add(ctx.vcpu); // each vCPU has a physical CPU of its own here: the pin changes no scheduling
  return 0;
}

export function schedOp(ctx: CallContext, [cmd, arg]: number[]): number {
  const { dom, mem, decoded } = ctx;
  decoded.cmd = SCHEDOP_NAMES[cmd] ?? `unknown(${cmd})`;
  switch (cmd) {
    case 0: return 0; // yield: the scheduler is round-robin already
    case 1: block(ctx); return 0;
    case 2: { // shutdown {u32 reason}, taken as a u8
      const reason = mem.u32(arg) & 0xff;
      decoded.reason = SHUTDOWN_NAMES[reason] ?? reason;
      hwdomShutdown(ctx, reason);
      return 0;
    }
    case 4: { // remote_shutdown {u16 domid, u32 reason}: by real domain id, so DOMID_SELF is -ESRCH
      const d = mem.u16(arg), reason = mem.u32(arg + 4) & 0xff;
      Object.assign(decoded, { domid: hex(d), reason: SHUTDOWN_NAMES[reason] ?? reason });
      if (d !== 0) return E.SRCH;
      hwdomShutdown(ctx, reason);
      return 0;
    }
    case 5: { // shutdown_code {u32 reason}: the first one set is the reason of any later shutdown
      const reason = mem.u32(arg) & 0xff;
      decoded.reason = SHUTDOWN_NAMES[reason] ?? reason;
      if (dom.shutdownCode === null) dom.shutdownCode = reason;
      return 0;
    }
    case 3: return poll(ctx, arg);
    case 6: { // watchdog {u32 id, u32 timeout}
      const id = mem.u32(arg), timeout = mem.u32(arg + 4);
      Object.assign(decoded, { id, timeout });
      return dom.watchdog(id, timeout);
    }
    case 7: return pinOverride(ctx, arg);
    default: return E.NOSYS;
  }
}
