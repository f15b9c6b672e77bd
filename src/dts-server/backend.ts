// What the language server needs from the device-tree library, as one interface: the server's logic is
// written against it, `backend-devicetree.ts` binds it to src/devicetree, tests may bind it the same way.
import type { DeviceTree, Diagnostic } from '../devicetree/model';

export interface BackendRegion {
  path: string;
  index: number;
  busAddress: bigint;
  size: bigint;
  cpuAddress: bigint | undefined;
  overlapsWith: string[];
}

export interface BackendInterrupt {
  path: string;
  index: number;
  controllerPath: string | undefined;
  specifier: number[];
  via: string[];
}

export interface BackendAddressMap {
  regions: BackendRegion[];
  interrupts: BackendInterrupt[];
  diagnostics: Diagnostic[];
}

export interface CompileOutput {
  tree?: DeviceTree;
  /** Syntax errors, preprocessor errors and dtc's checks, positioned (SourcePos.file is a path we passed in). */
  diagnostics: Diagnostic[];
}

export interface DtBackend {
  /** Must not throw on bad input. `readFile` returns undefined for a file that does not exist. */
  compile(text: string, file: string, includePaths: string[], readFile: (path: string) => string | undefined): CompileOutput;
  addressMap(tree: DeviceTree): BackendAddressMap;
  /** The tree printed as `dtc -O dts` prints it. */
  printDts(tree: DeviceTree): string;
}
