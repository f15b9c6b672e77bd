// The debug adapter's entry point (bundled to dist/adapter.js): speaks DAP over stdin/stdout, the
// form VS Code's `program` debuggers and @vscode/debugadapter-testsupport run. An exception that
// escapes a request handler is reported on stderr instead of ending the process.
import { DebugSession } from '@vscode/debugadapter';
import { XenarmDebugSession } from './session/session';

process.on('uncaughtException', (e) => {
  process.stderr.write(`xenarm adapter: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
});
DebugSession.run(XenarmDebugSession);
