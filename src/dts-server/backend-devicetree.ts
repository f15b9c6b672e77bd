// Binds the language server's backend interface to the device-tree library (src/devicetree): dtc's
// parser, checks and printer, the built-in preprocessor, and the address map.
import { compileDts, treeToDts } from '../devicetree/index';
import type { DeviceTree } from '../devicetree/model';
import type { BackendAddressMap, DtBackend } from './backend';
import { addressMapOf } from './addressmap-binding';

function binaryToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export const devicetreeBackend: DtBackend = {
  compile(text, file, includePaths, readFile) {
    const r = compileDts(text, {
      file,
      includeDirs: includePaths,
      preprocess: 'auto',
      // Open documents are held as JS strings (their unsaved text); files from disk as latin1 binary strings.
      readFile: (p) => {
        const t = readFile(p);
        return t === undefined ? undefined : /[^\x00-\xff]/.test(t) ? new TextEncoder().encode(t) : binaryToBytes(t);
      },
    });
    return { tree: r.tree, diagnostics: r.diagnostics };
  },
  addressMap(tree: DeviceTree): BackendAddressMap {
    return addressMapOf(tree);
  },
  printDts(tree) {
    return treeToDts(tree);
  },
};
