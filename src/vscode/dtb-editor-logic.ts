// Decompiling a blob for the .dtb viewer and the Decompile command: dtc's DTS text, or the reader's message
// (which names what is malformed and the byte offset) instead of an exception.
import type { ExtDtLib } from './dtlib-types';

export function decompile(lib: ExtDtLib, bytes: Uint8Array, name: string): { dts: string; error?: string } {
  try {
    return { dts: lib.printDts(lib.dtbToTree(bytes, name)) };
  } catch (e) {
    const offset = (e as { offset?: unknown }).offset;
    const msg = (e as Error).message;
    return { dts: '', error: typeof offset === 'number' && !/offset|byte/i.test(msg) ? `${msg} (at byte offset ${offset})` : msg };
  }
}
