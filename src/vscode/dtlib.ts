// The device-tree library as the extension uses it (the same backend as the language server, plus DTB I/O).
import { dtbToTree, treeToDtb } from '../devicetree/index';
import { devicetreeBackend } from '../dts-server/backend-devicetree';
import type { ExtDtLib } from './dtlib-types';

const lib: ExtDtLib = {
  ...devicetreeBackend,
  dtbToTree: (bytes, source) => dtbToTree(bytes, source),
  treeToDtb: (tree) => treeToDtb(tree),
};

export function dtLib(): ExtDtLib {
  return lib;
}
