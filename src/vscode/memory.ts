// Opens VS Code's memory view (the hex editor over the debug adapter's readMemory) at a guest address. The
// adapter takes `0x…` as a virtual address (through the stopped vCPU's MMU) and `phys:0x…` as physical.
import * as vscode from 'vscode';

export function memoryReference(address: number, physical: boolean): string {
  return `${physical ? 'phys:' : ''}0x${(address >>> 0).toString(16)}`;
}

export function memoryUri(sessionId: string, ref: string, length = 0x1000): vscode.Uri {
  return vscode.Uri.from({ scheme: 'vscode-debug-memory', authority: sessionId, path: `/${encodeURIComponent(ref)}/${encodeURIComponent(`memory-${ref}`)}.bin`, query: `?range=0:${length}` });
}

/** Boot-state addresses (load address, tree, initrd) are physical: `physical` defaults to true. */
export async function openMemoryAt(session: vscode.DebugSession | undefined, address: number, physical = true): Promise<void> {
  if (!session) {
    void vscode.window.showInformationMessage(`0x${(address >>> 0).toString(16)}: the memory view needs a running xenarm debug session.`);
    return;
  }
  try {
    await vscode.commands.executeCommand('vscode.openWith', memoryUri(session.id, memoryReference(address, physical)), 'hexEditor.hexedit');
  } catch {
    void vscode.window.showInformationMessage(`Install the Hex Editor extension (ms-vscode.hexeditor) to see guest memory at 0x${(address >>> 0).toString(16)}.`);
  }
}
