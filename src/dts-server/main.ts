// The DTS language server (LSP over stdio or Node IPC), usable from any editor: diagnostics with dtc's check
// names as the user types, outline, definition/references/rename of labels, includes, hover, completion.
// Settings: `xenarm.dts.includePaths` (array of directories, relative to the workspace folder).
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, ResponseError, ErrorCodes,
  type InitializeParams, type Location, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DtsWorkspace } from './workspace';
import { DtsFeatures } from './features';
import { devicetreeBackend } from './backend-devicetree';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let workspaceRoots: string[] = [];
let hasConfiguration = false;
const includeSetting = new Map<string, string[]>();

const toPath = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);
const toUri = (path: string) => (path.includes(':') && !path.startsWith('/') ? path : pathToFileURL(path).toString());

function rootFor(path: string): string {
  return workspaceRoots.filter((r) => path.startsWith(r + '/')).sort((a, b) => b.length - a.length)[0] ?? (path.startsWith('/') ? dirname(path) : process.cwd());
}

/** Files on disk, re-read only when their size or modification time changes (a unit is consulted often). */
const diskCache = new Map<string, { stamp: string; text: string }>();
function readDisk(p: string): string | undefined {
  try {
    const st = statSync(p);
    if (!st.isFile()) return undefined;
    const stamp = `${st.size}:${st.mtimeMs}`;
    const hit = diskCache.get(p);
    if (hit && hit.stamp === stamp) return hit.text;
    const text = readFileSync(p, 'latin1');
    diskCache.set(p, { stamp, text });
    return text;
  } catch {
    return undefined;
  }
}

const ws = new DtsWorkspace(
  { readFile: readDisk },
  (file) => {
    const root = rootFor(file);
    return (includeSetting.get(root) ?? []).map((p) => (isAbsolute(p) ? p : join(root, p)));
  },
);
const features = new DtsFeatures(ws, devicetreeBackend);

connection.onInitialize((params: InitializeParams) => {
  workspaceRoots = (params.workspaceFolders ?? []).map((f) => toPath(f.uri));
  if (!workspaceRoots.length && params.rootUri) workspaceRoots = [toPath(params.rootUri)];
  hasConfiguration = !!params.capabilities.workspace?.configuration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      hoverProvider: true,
      renameProvider: { prepareProvider: true },
      completionProvider: { triggerCharacters: ['&', '"', '{', '/'] },
    },
    serverInfo: { name: 'xenarm-dts', version: '0.1.0' },
  };
});

async function refreshSettings(): Promise<void> {
  includeSetting.clear();
  if (!hasConfiguration) return;
  for (const root of workspaceRoots.length ? workspaceRoots : [process.cwd()]) {
    const cfg = (await connection.workspace.getConfiguration({ scopeUri: toUri(root), section: 'xenarm.dts' })) as { includePaths?: string[] } | null;
    includeSetting.set(root, Array.isArray(cfg?.includePaths) ? cfg!.includePaths! : []);
  }
}

connection.onInitialized(() => {
  void refreshSettings().then(validateAll);
});
connection.onDidChangeConfiguration(() => {
  void refreshSettings().then(validateAll);
});

const timers = new Map<string, NodeJS.Timeout>();

function validate(uri: string): void {
  const path = toPath(uri);
  try {
    const diagnostics = features.diagnostics(path);
    void connection.sendDiagnostics({ uri, diagnostics });
  } catch (e) {
    connection.console.error(`diagnostics for ${path} failed: ${(e as Error).stack}`);
  }
}

function validateAll(): void {
  for (const d of documents.all()) validate(d.uri);
}

/** An edit in one file can change diagnostics of every open file that includes it. */
function scheduleValidation(changedUri: string): void {
  const changed = toPath(changedUri);
  const affected = documents.all().filter((d) => d.uri === changedUri || ws.unit(toPath(d.uri)).some((f) => f.path === changed));
  for (const d of affected) {
    const t = timers.get(d.uri);
    if (t) clearTimeout(t);
    timers.set(
      d.uri,
      setTimeout(() => {
        timers.delete(d.uri);
        validate(d.uri);
      }, d.uri === changedUri ? 50 : 200),
    );
  }
}

documents.onDidChangeContent((e) => {
  ws.setOpen(toPath(e.document.uri), e.document.getText());
  scheduleValidation(e.document.uri);
});
documents.onDidClose((e) => {
  ws.close(toPath(e.document.uri));
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

const loc = (l: { path: string; range: Location['range'] }): Location => ({ uri: toUri(l.path), range: l.range });

connection.onDocumentSymbol((p) => features.symbols(toPath(p.textDocument.uri)));
connection.onDefinition((p) => features.definition(toPath(p.textDocument.uri), p.position.line, p.position.character).map(loc));
connection.onReferences((p) => features.references(toPath(p.textDocument.uri), p.position.line, p.position.character, p.context.includeDeclaration).map(loc));
connection.onHover((p) => features.hover(toPath(p.textDocument.uri), p.position.line, p.position.character) ?? null);
connection.onCompletion((p) => features.completion(toPath(p.textDocument.uri), p.position.line, p.position.character));
connection.onPrepareRename((p) => features.prepareRename(toPath(p.textDocument.uri), p.position.line, p.position.character) ?? null);
connection.onRenameRequest((p) => {
  const r = features.rename(toPath(p.textDocument.uri), p.position.line, p.position.character, p.newName);
  if (typeof r === 'string') return new ResponseError(ErrorCodes.InvalidParams, r);
  const changes: Record<string, TextEdit[]> = {};
  for (const [path, edits] of r) changes[toUri(path)] = edits;
  const edit: WorkspaceEdit = { changes };
  return edit;
});

documents.listen(connection);
connection.listen();
