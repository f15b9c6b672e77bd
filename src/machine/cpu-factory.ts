// Builds the board's vCPUs from the AArch32 core (arm32/cpu.ts) and the memory system
// (arm32/memory-system.ts), whichever of them this build contains. They are loaded by a pattern import
// (esbuild bundles every arm32/*.ts it matches), so the machine layer builds and its ELF/GIC/board
// code can be used and tested while the core is still being written; a missing core is reported as a
// clear error instead of breaking the bundle.
import type { CpuApi } from './arm32/contracts';
import type { Bus } from './bus';
import type { CpuFactory, TimerOutputs } from './board';

export class CoreMissingError extends Error {}

interface CoreModules {
  Arm32Cpu: new (o: { index: number; bus: Bus; mpidr: number; memory?: unknown }) => CpuApi;
  createMemorySystem?: (bus: Bus, o: { mpidr: number; counter: () => number; onTimerChange?: () => void }) => { timer: TimerOutputs };
}

async function loadPart(name: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(`./arm32/${name}.ts`)) as Record<string, unknown>;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // Only "this file is not there" means missing; any other error is a real bug to surface.
    if (/not found|Cannot find module|ERR_MODULE_NOT_FOUND/i.test(msg) && msg.includes(name)) return null;
    throw e;
  }
}

let cached: CoreModules | null = null;

async function loadCore(): Promise<CoreModules> {
  if (cached) return cached;
  const cpu = await loadPart('cpu');
  if (!cpu || typeof cpu.Arm32Cpu !== 'function') {
    throw new CoreMissingError('the AArch32 core (src/machine/arm32/cpu.ts, class Arm32Cpu) is not part of this build yet');
  }
  const ms = await loadPart('memory-system');
  cached = {
    Arm32Cpu: cpu.Arm32Cpu as CoreModules['Arm32Cpu'],
    createMemorySystem: ms && typeof ms.createMemorySystem === 'function' ? (ms.createMemorySystem as CoreModules['createMemorySystem']) : undefined,
  };
  return cached;
}

const NO_TIMER: TimerOutputs = { nextDeadline: () => Infinity, physLevel: () => false, virtLevel: () => false };

/** The factory a Board needs, backed by the real core. Throws CoreMissingError when the core is absent. */
export async function loadCpuFactory(): Promise<CpuFactory> {
  const core = await loadCore();
  return ({ index, bus, mpidr, counter, onTimerChange }) => {
    if (core.createMemorySystem) {
      const memory = core.createMemorySystem(bus, { mpidr, counter, onTimerChange });
      return { cpu: new core.Arm32Cpu({ index, bus, mpidr, memory }), timer: memory.timer };
    }
    return { cpu: new core.Arm32Cpu({ index, bus, mpidr }), timer: NO_TIMER };
  };
}
