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

/**
 * The bytes of each file as last read, reused while its text is unchanged: every edit recompiles the whole
 * unit (a big board includes dozens of files), and converting each one again dominated the compile.
 */
const bytesCache = new Map<string, { text: string; bytes: Uint8Array }>();

function fileBytes(path: string, text: string): Uint8Array {
  const hit = bytesCache.get(path);
  if (hit && hit.text === text) return hit.bytes;
  // Open documents are held as JS strings (their unsaved text); files from disk as latin1 binary strings.
  const bytes = /[^\x00-\xff]/.test(text) ? new TextEncoder().encode(text) : binaryToBytes(text);
  bytesCache.set(path, { text, bytes });
  return bytes;
}

export const devicetreeBackend: DtBackend = {
  compile(text, file, includePaths, readFile) {
    const r = compileDts(text, {
      file,
      includeDirs: includePaths,
      preprocess: 'auto',
      readFile: (p) => {
        const t = readFile(p);
        return t === undefined ? undefined : fileBytes(p, t);
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
