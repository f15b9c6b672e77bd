// The guest console's output between the debug adapter and the terminal tab. A guest can print megabytes a
// second; writing each chunk to xterm as it arrives freezes the window, so output is queued and handed out
// in frames of bounded size. Nothing is dropped: the whole log is kept for "Save Guest Console Log".

/** Terminals move the cursor down on LF but not back to column 0; guests (and Linux's hvc0) often send bare LF. */
export function toTerminalNewlines(text: string, prevEndedWithCR: boolean): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 10) continue;
    const prevIsCR = i > 0 ? text.charCodeAt(i - 1) === 13 : prevEndedWithCR;
    if (prevIsCR) continue;
    out += text.slice(last, i) + '\r\n';
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

export class ConsoleBuffer {
  /** Everything the guest printed, as received. */
  private readonly log: string[] = [];
  private logLength = 0;
  /** Terminal-ready text not yet written. */
  private queue: string[] = [];
  private queued = 0;
  private endedWithCR = false;

  append(text: string): void {
    if (!text) return;
    this.log.push(text);
    this.logLength += text.length;
    const t = toTerminalNewlines(text, this.endedWithCR);
    this.endedWithCR = text.charCodeAt(text.length - 1) === 13;
    this.queue.push(t);
    this.queued += t.length;
  }

  /** Characters waiting for the terminal. */
  get pending(): number {
    return this.queued;
  }

  /** Total characters the guest printed. */
  get length(): number {
    return this.logLength;
  }

  /**
   * Takes up to `max` characters of queued output. A frame never ends inside a CSI/OSC escape sequence or a
   * UTF-16 surrogate pair when it can be avoided, so the terminal never shows half a colour change.
   */
  takeFrame(max: number): string {
    if (this.queued === 0) return '';
    const all = this.queue.length === 1 ? this.queue[0] : this.queue.join('');
    let cut = Math.min(all.length, max);
    if (cut < all.length) cut = safeCut(all, cut);
    const frame = all.slice(0, cut);
    const rest = all.slice(cut);
    this.queue = rest ? [rest] : [];
    this.queued = rest.length;
    return frame;
  }

  /** The whole log, exactly as the guest sent it. */
  text(): string {
    return this.log.join('');
  }
}

function safeCut(s: string, cut: number): number {
  // Do not split a surrogate pair.
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  // Do not split an escape sequence that starts in the last 64 characters of the frame.
  const esc = s.lastIndexOf('\x1b', cut - 1);
  if (esc >= 0 && cut - esc < 64 && esc > 0) {
    const tail = s.slice(esc, cut);
    if (!escapeComplete(tail)) return esc;
  }
  return cut;
}

function escapeComplete(seq: string): boolean {
  if (seq.length < 2) return false;
  if (seq[1] === '[') return /^\x1b\[[0-?]*[ -\/]*[@-~]/.test(seq);
  if (seq[1] === ']') return /\x07|\x1b\\/.test(seq);
  return seq.length >= 2;
}
