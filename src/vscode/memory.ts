// Opens VS Code's memory view (the hex editor over the debug adapter's readMemory) at a guest address: the
// adapter accepts a hex address as memoryReference.
import * as vscode from 'vscode';

export function memoryUri(sessionId: string, address: number, length = 0x1000): vscode.Uri {
  const ref = `0x${(address >>> 0).toString(16)}`;
  return vscode.Uri.from({ scheme: 'vscode-debug-memory', authority: sessionId, path: `/${encodeURIComponent(ref)}/${encodeURIComponent(`memory-${ref}`)}.bin`, query: `?range=0:${length}` });
}

export async function openMemoryAt(session: vscode.DebugSession | undefined, address: number): Promise<void> {
  if (!session) {
    void vscode.window.showInformationMessage(`0x${(address >>> 0).toString(16)}: the memory view needs a running xenarm debug session.`);
    return;
  }
  try {
    await vscode.commands.executeCommand('vscode.openWith', memoryUri(session.id, address), 'hexEditor.hexedit');
  } catch {
    void vscode.window.showInformationMessage(`Install the Hex Editor extension (ms-vscode.hexeditor) to see guest memory at 0x${(address >>> 0).toString(16)}.`);
  }
}
