// What the extension side needs from the device-tree library (bound in dtlib.ts): read and write DTBs,
// print DTS, compile DTS with dtc's checks, and the address map.
import type { DeviceTree } from '../devicetree/model';
import type { DtBackend } from '../dts-server/backend';

export interface ExtDtLib extends DtBackend {
  /** Throws an Error whose message says what is malformed and at which offset. */
  dtbToTree(bytes: Uint8Array, source: string): DeviceTree;
  treeToDtb(tree: DeviceTree): Uint8Array;
}
