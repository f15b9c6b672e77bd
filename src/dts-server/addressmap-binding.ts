// The address map (src/devicetree/addressmap) as the server and the preview use it: regions translated to
// CPU addresses with overlaps, and interrupts routed to their controllers.
import { buildAddressMap } from '../devicetree/addressmap/index';
import type { DeviceTree } from '../devicetree/model';
import type { BackendAddressMap } from './backend';

export function addressMapOf(tree: DeviceTree): BackendAddressMap {
  const m = buildAddressMap(tree);
  return {
    regions: m.regions.map((r) => ({ path: r.path, index: r.index, busAddress: r.busAddress, size: r.size, cpuAddress: r.cpuAddress, overlapsWith: r.overlapsWith })),
    interrupts: m.interrupts.map((i) => ({ path: i.path, index: i.index, controllerPath: i.controllerPath, specifier: i.specifier, via: i.via })),
    diagnostics: m.diagnostics,
  };
}
