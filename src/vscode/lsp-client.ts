// Starts the DTS language server (dist/dts-server.js, a separate Node process over IPC) for dts documents.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function createDtsClient(ctx: vscode.ExtensionContext): LanguageClient {
  const module = vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'dts-server.js').fsPath;
  const server: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const client: LanguageClientOptions = {
    documentSelector: [{ language: 'dts' }],
    synchronize: { configurationSection: 'xenarm.dts' },
    outputChannelName: 'xenarm DTS language server',
  };
  return new LanguageClient('xenarm.dts', 'Device Tree Source (xenarm)', server, client);
}
