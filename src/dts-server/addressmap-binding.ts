// The address map (src/devicetree/addressmap, helper "dtextra") as the server and the preview use it.
// TODO(vscode): until src/devicetree/addressmap/index.ts lands this reports no regions and no interrupts,
// so hovers and the preview show no translated addresses yet; it is swapped for buildAddressMap then.
import type { DeviceTree } from '../devicetree/model';
import type { BackendAddressMap } from './backend';

export function addressMapOf(_tree: DeviceTree): BackendAddressMap {
  return { regions: [], interrupts: [], diagnostics: [] };
}
