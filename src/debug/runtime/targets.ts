// Chooses and builds the machine a launch configuration asks for.
import type { LaunchConfig } from '../launch-config';
import { BareMetalTarget } from './baremetal-target';
import { XenTarget } from './xen-target';
import type { DebugTarget } from './target';

export function createTarget(cfg: LaunchConfig): DebugTarget {
  if (cfg.bootProtocol === 'baremetal') {
    return new BareMetalTarget({ image: cfg.kernelBytes, imagePath: cfg.kernel, memoryMiB: cfg.memoryMiB, cpus: cfg.cpus, semihosting: cfg.semihosting });
  }
  return new XenTarget(cfg);
}
