// Builds the board's vCPUs: the AArch32 core (arm32/cpu.ts) on a memory system (arm32/memory-system.ts)
// whose generic timer the board wires to the GIC. The board itself takes the factory as a parameter so
// it has no import of the core (tests drive it with scripted CPUs).
import { Arm32Cpu } from './arm32/cpu';
import { createMemorySystem } from './arm32/memory-system';
import type { CpuFactory } from './board';

/** The factory a Board needs, backed by the real core (async for callers written when it was loaded lazily). */
export async function loadCpuFactory(): Promise<CpuFactory> {
  return cpuFactory;
}

export const cpuFactory: CpuFactory = ({ index, bus, mpidr, counter, onTimerChange, onSev }) => {
  const memory = createMemorySystem(bus, { mpidr, counter, onTimerChange });
  return { cpu: new Arm32Cpu({ index, bus, mpidr, memory, onSev }), timer: memory.timer };
};
