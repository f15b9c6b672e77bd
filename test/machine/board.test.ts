// The board's deterministic scheduler, driven by a scripted test CPU (the real core is tested by the
// QEMU-differential tests): lock-step virtual time across vCPUs, idle skip to the next timer deadline,
// timer → GIC PPI 30 → IRQ line → wake, instruction limits, deadlock detection, guest exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Board, virtMpidr, type CpuFactory, type CpuFactoryArgs } from '../../src/machine/board';
import { StopReason, type CpuApi } from '../../src/machine/arm32/contracts';

type Step = { run: number } | { armTimer: number } | { wfi: true } | { exit: number } | { note: string };

/** A CPU that "executes" a script: `run` retires n instructions, `armTimer` sets CVAL = count + n. */
class ScriptCpu {
  icount = 0;
  timeBase = 0;
  irq = false;
  waiting = false;
  stopReq = false;
  pc = 0;
  log: string[] = [];
  private left = 0;
  constructor(readonly index: number, private readonly script: Step[], private readonly timer: FakeTimer, private readonly board: () => Board) {}
  get idle(): boolean { return this.waiting && !this.irq; }
  setIrqLine(l: boolean) { this.irq = l; if (l && this.logIrq) this.log.push(`irq@${this.count()}`); }
  logIrq = false;
  requestStop() { this.stopReq = true; }
  count() { return this.timeBase + this.icount; }
  run(budget: number): StopReason {
    let done = 0;
    while (done < budget) {
      if (this.stopReq) { this.stopReq = false; return StopReason.Requested; }
      if (this.waiting) {
        if (!this.irq) return StopReason.Idle;
        this.waiting = false;
        this.log.push(`wake@${this.count()}`);
        this.timer.ctl = 0; this.board().gic.setPpi(this.index, 30, false); // the "handler" stops the timer
      }
      const s = this.script[this.pc];
      if (!s) return StopReason.Idle;
      if ('run' in s) {
        if (this.left === 0) this.left = s.run;
        const n = Math.min(this.left, budget - done);
        this.icount += n; done += n; this.left -= n;
        if (this.left === 0) this.pc++;
      } else if ('armTimer' in s) {
        this.timer.cval = this.count() + s.armTimer; this.timer.ctl = 1; this.pc++;
        this.log.push(`arm@${this.count()}`);
        this.timer.changed();
      } else if ('wfi' in s) {
        this.pc++; this.icount++; done++; this.waiting = true;
      } else if ('exit' in s) {
        this.pc++; this.icount++; this.board().halt(s.exit); return StopReason.Halted;
      } else { this.log.push(`${s.note}@${this.count()}`); this.pc++; }
    }
    return StopReason.Budget;
  }
  getReg() { return this.pc; }
}

class FakeTimer {
  cval = 0; ctl = 0;
  constructor(private readonly a: CpuFactoryArgs) {}
  changed() { this.a.onTimerChange(); }
  nextDeadline() { return this.ctl ? this.cval : Infinity; }
  physLevel() { return this.ctl === 1 && this.a.counter() >= this.cval; }
  virtLevel() { return false; }
}

function makeBoard(scripts: Step[][], slice = 100) {
  let board: Board;
  const cpus: ScriptCpu[] = [];
  const createCpu: CpuFactory = (a) => {
    const timer = new FakeTimer(a);
    const cpu = new ScriptCpu(a.index, scripts[a.index], timer, () => board);
    cpus.push(cpu);
    return { cpu: cpu as unknown as CpuApi, timer };
  };
  board = new Board({ createCpu, cpus: scripts.length, ramSize: 1 << 20, sliceInstructions: slice });
  // Guest-side GIC set-up: distributor and CPU interfaces on, PPI 30 enabled at priority 0x80.
  board.gic.distributor.write(0, 4, 1);
  for (let i = 0; i < scripts.length; i++) {
    board.gic.currentCpu = i;
    board.gic.cpuInterface.write(4, 4, 0xff);
    board.gic.cpuInterface.write(0, 4, 1);
    board.gic.distributor.write(0x100, 4, 1 << 30);
    board.gic.distributor.write(0x400 + 30, 1, 0x80);
  }
  return { board, cpus };
}

test('MPIDR follows QEMU virt with a GICv2 (clusters of 8, bit 31 set)', () => {
  assert.equal(virtMpidr(0), 0x80000000);
  assert.equal(virtMpidr(3), 0x80000003);
  assert.equal(virtMpidr(9), 0x80000101);
});

test('an idle vCPU skips to its timer deadline; the timer interrupt reaches it through the GIC at that exact tick', () => {
  const { board, cpus } = makeBoard([[{ run: 250 }, { armTimer: 1_000_000 }, { wfi: true }, { run: 10 }, { exit: 3 }]]);
  const r = board.run({});
  assert.equal(r.outcome, 'halted');
  assert.equal(board.exitStatus, 3);
  assert.deepEqual(cpus[0].log, ['arm@250', 'wake@1000250']);
  assert.equal(r.instructions, 250 + 1 + 10 + 1, 'idle time retires no instructions');
});

test('vCPUs see one global time: counters agree at every round boundary, and the run is deterministic', () => {
  const script = (n: number): Step[] => [{ run: n }, { note: 'a' }, { run: 333 }, { note: 'b' }, { run: 5000 }];
  const once = () => {
    const { board, cpus } = makeBoard([script(10), script(777), script(4321)], 64);
    const seen: number[][] = [];
    const r = board.run({ maxInstructions: 13200, onSlice: (b) => { seen.push(b.cpus.map((c) => c.timeBase + c.icount)); } });
    for (const s of seen) assert.ok(s.every((v) => v === s[0]), `counters differ at a round boundary: ${s}`);
    return { r, logs: cpus.map((c) => c.log.join(',')), time: board.time };
  };
  const a = once(), b = once();
  assert.deepEqual(a, b);
  assert.equal(a.r.outcome, 'limit');
  assert.equal(a.r.instructions, 13200);
  // Each vCPU ran the same number of ticks, so its notes are at its own instruction counts.
  assert.deepEqual(a.logs, ['a@10,b@343', 'a@777,b@1110', 'a@4321']);
});

test('an idle vCPU keeps its clock running while another runs', () => {
  const { board, cpus } = makeBoard([[{ wfi: true }], [{ run: 1000 }, { exit: 0 }]], 100);
  const r = board.run({});
  assert.equal(r.outcome, 'halted');
  assert.equal(cpus[0].count(), cpus[1].count(), 'the idle vCPU sees the same time');
  assert.ok(board.time >= 1000);
});

test('all vCPUs waiting with no timer armed is reported as a deadlock', () => {
  const { board } = makeBoard([[{ run: 5 }, { wfi: true }], [{ wfi: true }]]);
  const r = board.run({});
  assert.equal(r.outcome, 'deadlock');
  assert.equal(r.instructions, 7);
});

test('a timer armed in the middle of a long round still fires at its exact deadline', () => {
  const { board, cpus } = makeBoard([[{ run: 10 }, { armTimer: 25 }, { run: 100 }, { wfi: true }, { exit: 0 }], [{ run: 1000 }, { wfi: true }]], 10_000);
  cpus[0].logIrq = true;
  board.run({});
  // The IRQ line rises at tick 35 while vCPU 0 is still running (this script only looks at it when
  // it waits): the round was cut at the new deadline instead of running on to tick 10000.
  assert.deepEqual(cpus[0].log, ['arm@10', 'irq@35', 'wake@111']);
});
