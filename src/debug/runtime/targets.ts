// Chooses and builds the machine a launch configuration asks for.
import type { LaunchConfig } from '../launch-config';
import { BareMetalTarget, TargetError } from './baremetal-target';
import type { DebugTarget } from './target';

export function createTarget(cfg: LaunchConfig): DebugTarget {
  if (cfg.bootProtocol === 'baremetal') {
    return new BareMetalTarget({ image: cfg.kernelBytes, imagePath: cfg.kernel, memoryMiB: cfg.memoryMiB, cpus: cfg.cpus, semihosting: cfg.semihosting });
  }
  throw new TargetError('bootProtocol "xen-dom0": the Xen hypervisor layer is not available in this build yet; use "bootProtocol": "baremetal" for bare-metal ELF programs');
}
