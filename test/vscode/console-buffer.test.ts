// The PV console's buffer: floods are handed out in bounded frames with nothing lost or reordered, frames do
// not split escape sequences, bare LF becomes CRLF for the terminal, and the saved log is what the guest sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleBuffer, toTerminalNewlines } from '../../src/vscode/console/console-buffer';

test('bare LF becomes CRLF, existing CRLF stays, also across chunk boundaries', () => {
  assert.equal(toTerminalNewlines('a\nb\r\nc\n', false), 'a\r\nb\r\nc\r\n');
  assert.equal(toTerminalNewlines('\nx', true), '\nx');
  assert.equal(toTerminalNewlines('\nx', false), '\r\nx');
  const b = new ConsoleBuffer();
  b.append('line\r');
  b.append('\nnext\n');
  assert.equal(b.takeFrame(1000), 'line\r\nnext\r\n');
  assert.equal(b.text(), 'line\r\nnext\n');
});

test('a 4 MiB flood comes out in frames of at most the limit, complete and in order', () => {
  const b = new ConsoleBuffer();
  let sent = '';
  for (let i = 0; i < 45000; i++) {
    const chunk = `[${i.toString().padStart(6, '0')}] \x1b[32mok\x1b[0m ${'x'.repeat(80)}\r\n`;
    sent += chunk;
    b.append(chunk);
  }
  assert.ok(sent.length > 4 << 20);
  let got = '';
  let frames = 0;
  for (;;) {
    const f = b.takeFrame(65536);
    if (!f) break;
    assert.ok(f.length <= 65536);
    // A frame never ends inside an escape sequence.
    const esc = f.lastIndexOf('\x1b');
    if (esc >= 0) assert.match(f.slice(esc), /^\x1b\[[0-9;]*m/);
    got += f;
    frames++;
  }
  assert.equal(got, sent);
  assert.equal(b.pending, 0);
  assert.ok(frames >= Math.ceil(sent.length / 65536));
  assert.equal(b.text(), sent);
  assert.equal(b.length, sent.length);
});

test('a frame boundary never splits a surrogate pair', () => {
  const b = new ConsoleBuffer();
  b.append('ab😀cd');
  const f1 = b.takeFrame(3);
  assert.equal(f1, 'ab');
  assert.equal(b.takeFrame(10), '😀cd');
});
