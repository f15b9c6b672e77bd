// End to end in a real VS Code (code-server 4.100.3 = VS Code 1.100.3, with the packaged .vsix installed),
// driven in Chromium as a user would: DTS language support and preview on the sample workspace, then a
// debug session from sample/.vscode/launch.json with the PV console, a hypercall breakpoint, the generated
// device tree and the boot state. Screenshots of each step: test-output/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVsCode, InstallError, runCommand, openFile, shot, webviewText, webviewFrameText, waitFor, chromiumAvailable, acceptSaveDialog, activationTimes, settleStartup, outputDir, type VsCode } from './harness';
import { guestReference, generatedDtbReference, dtcDecompile } from './references';
import { requireTools } from '../support/tools';
import { runSuiteInCodeServer } from '../vscode-electron/in-code-server';

let vs: VsCode | undefined;
let skipReason: string | undefined;

let startError: Error | undefined;

before(async () => {
  if (!chromiumAvailable()) {
    skipReason = 'Chromium is not installed (Debian: chromium)';
  } else {
    try {
      vs = await startVsCode((s) => console.log(`# ${s}`));
    } catch (e) {
      // Installing code-server needs the npm registry: without it the tests skip (outside CI). Once installed,
      // failing to start VS Code is a failure.
      if (e instanceof InstallError) skipReason = `code-server could not be installed: ${e.message.split('\n').slice(0, 6).join(' | ')}`;
      else startError = e as Error;
    }
  }
  if (skipReason && process.env.CI) throw new Error(skipReason);
  if (skipReason) console.log(`# SKIP end-to-end VS Code tests: ${skipReason}`);
});

after(async () => {
  await vs?.close();
});

function ready(t: { skip(m: string): void }): VsCode | undefined {
  if (startError) throw startError;
  if (!vs) t.skip(skipReason ?? 'VS Code did not start');
  return vs;
}

/** Runs a step; on failure saves a screenshot named after it and adds code-server's log tail to the error. */
async function step(v: VsCode, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    await shot(v.page, name);
  } catch (e) {
    await shot(v.page, `${name}-FAILED`).catch(() => {});
    (e as Error).message += `\n(screenshot test-output/e2e/${name}-FAILED.png)`;
    throw e;
  }
}

test('a .dts with a broken reference shows dtc\'s error in the Problems panel', async (t) => {
  const v = ready(t);
  if (!v) return;
  await step(v, '1-problems', async () => {
    // Start-up activations first, so the activation time read at the end is xenarm's own.
    await settleStartup();
    writeFileSync(join(v.workspace, 'dts', 'broken.dts'), '/dts-v1/;\n\n/ {\n\tnode {\n\t\tclocks = <&no_such_clock>;\n\t};\n};\n');
    await openFile(v.page, 'dts/broken.dts');
    await runCommand(v.page, 'View: Focus Problems');
    const text = await waitFor('the diagnostic in Problems', async () => {
      const s = await v.page.locator('.markers-panel').innerText();
      return /Reference to non-existent node or label "no_such_clock"/.test(s) && s;
    }, 45000);
    assert.match(text, /phandle_references/);
  });
});

test('the preview shows the compiled tree, address map and interrupt routing of the sample board', async (t) => {
  const v = ready(t);
  if (!v) return;
  await step(v, '2-preview', async () => {
    await openFile(v.page, 'dts/board.dts');
    await runCommand(v.page, 'xenarm: Open Device Tree Preview to the Side');
    const text = await waitFor('the preview webview', async () => {
      const s = await webviewText(v.page);
      return /Compiled tree/.test(s) && /Address map/.test(s) && s;
    }, 30000);
    assert.match(text, /Interrupt routing/, text);
    assert.match(text, /pl011@9000000 \{/, text);
    assert.match(text, /model = "xenarm sample board";/, text);
    // The address map: RAM and the three devices, translated; interrupts routed to the GIC.
    assert.match(text, /6 region\(s\)/, text);
    assert.match(text, /0x9000000/, text);
    assert.match(text, /\/pl011@9000000.*\/interrupt-controller@8000000/s, text);
  });
});

test('the xenarm.dts.includePaths setting resolves #include <...> from the workspace', async (t) => {
  const v = ready(t);
  if (!v) return;
  const settingsFile = join(v.workspace, '.vscode', 'settings.json');
  const original = readFileSync(settingsFile, 'utf8');
  const problems = async () => v.page.locator('.markers-panel').innerText();
  await step(v, '2b-include-paths', async () => {
    // Without the setting the system include is not found (as dtc/cpp without -i/-I) ...
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(original), 'xenarm.dts.includePaths': [] }, null, 2));
    writeFileSync(join(v.workspace, 'dts', 'uses-include.dts'), '/dts-v1/;\n#include <virt-irq.h>\n\n/ {\n\tn {\n\t\tinterrupts = <GIC_SPI 1 IRQ_TYPE_LEVEL_HIGH>;\n\t};\n};\n');
    await openFile(v.page, 'dts/uses-include.dts');
    await runCommand(v.page, 'View: Focus Problems');
    await waitFor('the missing-include error', async () => /virt-irq\.h: No such file or directory/.test(await problems()), 45000);
    // ... with the sample's setting ("dts/include") it is: the macros expand and dtc's next check speaks.
    writeFileSync(settingsFile, original);
    const text = await waitFor('the include resolved through the setting', async () => {
      const s = await problems();
      return !/No such file or directory/.test(s) && /Missing interrupt-parent/.test(s) && s;
    }, 45000);
    assert.match(text, /interrupts_property/);
  });
});

test('the debug session from launch.json: PV console output and input, generated tree, boot state, hypercall stop', async (t) => {
  const v = ready(t);
  if (!v) return;
  const page = v.page;
  const consoleText = async () => (await page.locator('.xterm-rows').allInnerTexts()).join('\n');
  let r2 = '';
  await step(v, '3-console', async () => {
    await runCommand(page, 'Debug: Start Debugging');
    // launch.json says stopOnEntry false: a stop on entry is a bug (seen intermittently in an earlier session).
    // The adapter's first Debug Console line names the configuration it was given, to tell whose bug it is.
    const state = await waitFor('the session to run (or stop on entry)', async () => {
      if (/Hello from xenarm's example dom0!/.test(await consoleText())) return 'running';
      return (await page.locator('.pane-header', { hasText: /paused on entry/i }).count()) > 0 && 'paused';
    }, 90000);
    if (state === 'paused') {
      // The Debug Console panel opens with the session.
      const repl = await page.locator('.repl').first().innerText({ timeout: 5000 }).catch(() => '(debug console not shown)');
      await shot(page, '3-console-PAUSED-ON-ENTRY');
      assert.fail(`the session stopped on entry although launch.json says stopOnEntry false; the adapter's launch line: ${/xenarm: booting[^\n]*/.exec(repl)?.[0] ?? repl.slice(0, 400)}`);
    }
    // Make sure the console tab is the visible editor (a source editor may have opened over it).
    await runCommand(page, 'xenarm: Open Guest PV Console');
    const text = await waitFor('the dom0 guest\'s banner and prompt in the PV console tab', async () => {
      const s = await consoleText();
      return /Hello from xenarm's example dom0!/.test(s) && /type a line/.test(s) && s;
    }, 90000);
    r2 = /r2 = (0x[0-9a-f]+)/.exec(text)?.[1] ?? '';
    // The guest's SGR sequences (bold green, red, reset) are rendered as colours by xterm, not shown as text.
    assert.match(text, /console colours: green red plain/, text);
    assert.doesNotMatch(text, /\[(1;)?3[12]m|\[0m/, 'raw escape sequences in the console');
    const runs = await page.locator('.xterm-rows > div', { hasText: 'console colours:' }).first().evaluate((row) => {
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle;
      return [...row.querySelectorAll('span')].map((s) => ({ text: s.textContent ?? '', cls: s.className, color: style(s).color }));
    });
    const run = (w: string) => runs.find((r) => r.text.trim() === w);
    const green = run('green');
    const red = run('red');
    const plain = runs.find((r) => /plain/.test(r.text));
    assert.ok(green && red && plain, JSON.stringify(runs));
    // Colours by the theme (classes or inline styles): green is green, bold; red is red; plain has neither.
    const rgb = (c: string) => (/rgba?\((\d+), (\d+), (\d+)/.exec(c) ?? []).slice(1).map(Number);
    const [gr, gg, gb] = rgb(green.color);
    const [rr, rg, rb] = rgb(red.color);
    assert.ok(gg > gr + 60 && gg > gb + 60, `green rendered as ${green.color}`);
    assert.ok(rr > rg + 60 && rr > rb + 60, `red rendered as ${red.color}`);
    assert.match(green.cls, /xterm-bold/, JSON.stringify(runs));
    assert.doesNotMatch(plain.cls, /xterm-fg-|xterm-bold/, JSON.stringify(runs));
    assert.ok(green.color !== plain.color && red.color !== plain.color && green.color !== red.color, JSON.stringify(runs));
    assert.ok(r2, text);
    // The console tab is an editor tab (TerminalLocation.Editor), not a panel terminal.
    assert.ok(await page.locator('.tabs-container .tab', { hasText: 'Guest console' }).count() > 0, 'console is an editor tab');
  });
  await step(v, '4-console-input', async () => {
    await page.locator('.xterm').first().click();
    await page.keyboard.type('hello xen\r', { delay: 20 });
    await waitFor('the guest\'s answer to typed input', async () => /you typed: "hello xen"/.test(await consoleText()), 30000);
  });
  await step(v, '5-device-tree', async () => {
    await runCommand(page, 'xenarm: Open Generated Device Tree');
    const dt = await waitFor('the generated device tree document', async () => {
      const s = await page.locator('.editor-instance .view-lines').first().innerText();
      return /hypervisor/.test(s) && s;
    }, 30000);
    assert.match(dt, /xen,xen/);
  });
  await step(v, '6-boot-state', async () => {
    await runCommand(page, 'xenarm: Show Dom0 Boot State (Entry Registers)');
    const text = await waitFor('the boot state view with the entry registers', async () => {
      const s = await page.locator('.pane', { hasText: 'Boot State' }).innerText();
      return /Entry registers/.test(s) && /r2/.test(s) && s;
    }, 30000);
    // The view's r2 is the address the guest itself printed.
    assert.ok(text.includes(r2.replace(/^0x/, '0x').padStart(10, '0')) || text.includes(`0x${r2.slice(2).padStart(8, '0')}`), `${r2} in\n${text}`);
  });
  await step(v, '7-hypercall-breakpoint', async () => {
    // Tick the adapter's "Hypercalls" exception filter in the BREAKPOINTS view, then make the guest call one.
    const filter = page.locator('.debug-breakpoints .monaco-list-row', { hasText: /^Hypercalls/ }).first();
    await filter.waitFor({ state: 'visible', timeout: 10000 });
    await filter.locator('input[type=checkbox]').check();
    await runCommand(page, 'xenarm: Open Guest PV Console');
    await page.locator('.xterm').first().click();
    await page.keyboard.type('x', { delay: 20 });
    const text = await waitFor('the stop on the hypercall, with its description', async () => {
      const s = await page.locator('.debug-call-stack, .debug-view-content, .pane-body').allInnerTexts();
      const all = s.join('\n');
      return /paused on/i.test((await page.locator('.pane-header', { hasText: 'Call Stack' }).allInnerTexts()).join(' ')) && all;
    }, 30000);
    const header = (await page.locator('.pane-header', { hasText: 'Call Stack' }).allInnerTexts()).join(' ');
    assert.match(`${header}\n${text}`, /Paused on hypercall console_io/i);
  });
  await step(v, '8-hypercall-view', async () => {
    const header = page.locator('.pane-header', { hasText: /^Hypercalls/i }).first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const text = await waitFor('the live hypercall list with counts', async () => {
      const s = await page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Hypercalls/i }) }).first().innerText();
      return /Counts \(\d+ calls\)/.test(s) && /console_io/.test(s) && s;
    }, 30000);
    assert.match(text, /#\d+ console_io/);
  });
  await step(v, '9-break-on-this-hypercall', async () => {
    // The inline action on an entry of the Hypercalls view, then the first choice ("Every console_io call").
    const row = page.locator('.monaco-list-row', { hasText: /#\d+ console_io/ }).first();
    // Selecting the row shows its inline actions (hovering can be blocked by the row's own tooltip).
    await row.click({ force: true });
    await row.getByRole('button', { name: 'Break on This Hypercall' }).first().click({ force: true });
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Every console_io call' }).first();
    await pick.waitFor({ state: 'visible', timeout: 10000 });
    await pick.click();
    await waitFor('the function breakpoint in the BREAKPOINTS view', async () => /hypercall:console_io/.test(await page.locator('.debug-breakpoints').innerText()), 15000);
  });
  await step(v, '10-device-tree-view-reveal', async () => {
    // Make room in the Run and Debug side bar: collapse the other sections, expand this one.
    for (const name of [/^Variables/i, /^Watch/i, /^Call Stack/i, /^Breakpoints/i, /^Hypercalls/i, /^Boot State/i]) {
      const h = page.locator('.pane-header', { hasText: name }).first();
      if ((await h.count()) && (await h.getAttribute('aria-expanded')) === 'true') await h.click();
    }
    const header = page.locator('.pane-header', { hasText: /^Generated Device Tree/i }).first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const pane = page.locator('.pane', { has: header });
    const node = pane.getByRole('treeitem', { name: /^hypervisor/ }).first();
    await node.waitFor({ state: 'visible', timeout: 20000 });
    // Its description carries the translated region of the hypervisor node (the grant-table window).
    assert.match(await node.innerText(), /0x38000000\.\.0x38ffffff \(16 MiB\)/);
    await node.click();
    await waitFor('the cursor on the hypervisor node in the generated DTS', async () => {
      const tab = await page.locator('.tab.active').first().innerText();
      const status = await page.locator('.statusbar-item', { hasText: /^Ln \d+/ }).first().innerText();
      const ln = Number(/Ln (\d+)/.exec(status)?.[1] ?? 0);
      const shown = await page.locator('.monaco-editor:visible .view-line', { hasText: 'hypervisor {' }).count();
      return /generated-device-tree/.test(tab) && ln > 1 && shown > 0;
    }, 20000);
  });
  await step(v, '11-save-dtb', async () => {
    // "Save Generated Device Tree Blob": the bytes the guest received, as `xenarm dt -O dtb` builds them for the
    // same launch configuration, and a blob Debian's dtc reads.
    await runCommand(page, 'xenarm: Save Generated Device Tree Blob (DTB)');
    const saved = join(v.workspace, 'generated.dtb');
    await acceptSaveDialog(page, 'generated.dtb');
    await waitFor('generated.dtb on disk', async () => existsSync(saved) && readFileSync(saved).length > 0, 15000);
    const bytes = readFileSync(saved);
    const reference = generatedDtbReference(join(v.workspace, 'guest', 'dom0.elf'), { memory: 128, bootargs: 'console=hvc0' });
    assert.ok(Buffer.compare(bytes, reference) === 0, `saved DTB (${bytes.length} bytes) differs from xenarm dt -O dtb (${reference.length} bytes)`);
    if (requireTools(t, ['dtc'], 'device-tree-compiler')) {
      const dts = dtcDecompile(saved);
      assert.match(dts, /bootargs = "console=hvc0";/);
      assert.match(dts, /compatible = "xen,xen-[0-9.]+\\0xen,xen";/);
    }
  });
  await step(v, '12-dtb-custom-editor', async () => {
    // The saved .dtb opened from the Explorer lands in the read-only custom editor, decompiled like dtc does.
    await openFile(page, 'generated.dtb');
    const text = await waitFor('the decompiled DTB in the custom editor', async () => {
      const s = await webviewFrameText(page, /bytes, decompiled/);
      return s && /hypervisor \{/.test(s) && s;
    }, 30000);
    assert.match(text, new RegExp(`${readFileSync(join(v.workspace, 'generated.dtb')).length} bytes, decompiled`));
    if (requireTools(t, ['dtc'], 'device-tree-compiler')) {
      // Every line dtc prints for the blob, in dtc's order (the page adds a header above it).
      let at = 0;
      for (const l of dtcDecompile(join(v.workspace, 'generated.dtb')).split('\n').map((x) => x.trim()).filter(Boolean)) {
        const i = text.indexOf(l, at);
        assert.ok(i >= 0, `dtc's line ${JSON.stringify(l)} is not in the custom editor (in order):\n${text}`);
        at = i + l.length;
      }
    }
  });
  await step(v, '13-session-ends', async () => {
    // Clear the hypercall breakpoints (the function breakpoint and the exception filter), let the guest run on,
    // finish the typed line and power the guest off from its console.
    await runCommand(page, 'View: Show Run and Debug');
    const bpHeader = page.locator('.pane-header', { hasText: /^Breakpoints/i }).first();
    if ((await bpHeader.getAttribute('aria-expanded')) !== 'true') await bpHeader.click();
    for (const name of [/^Hypercalls/, /hypercall:console_io/]) {
      const row = page.locator('.debug-breakpoints .monaco-list-row', { hasText: name }).first();
      await row.waitFor({ state: 'visible', timeout: 10000 });
      await row.locator('input[type=checkbox]').uncheck();
    }
    await runCommand(page, 'Debug: Continue');
    await runCommand(page, 'xenarm: Open Guest PV Console');
    await page.locator('.xterm').first().click();
    await waitFor('the guest to echo the x typed at the breakpoint', async () => /finish\): x\s*$/m.test(await consoleText()), 30000);
    await page.keyboard.type('\r', { delay: 20 });
    await waitFor('the guest\'s answer to the x line', async () => /you typed: "x"/.test(await consoleText()), 30000);
    await page.keyboard.type('poweroff\r', { delay: 20 });
    await waitFor('the end of the session', async () => /the debug session ended/.test(await consoleText()), 60000);
    await waitFor('the debug toolbar to go away', async () => (await page.locator('.debug-toolbar').count()) === 0 || !(await page.locator('.debug-toolbar').first().isVisible()), 30000);
  });
  await step(v, '14-console-after-session', async () => {
    // The console tab stays open with everything the guest printed, from the banner to its last line.
    await waitFor('the console tab after the session', async () => (await page.locator('.tabs-container .tab', { hasText: 'Guest console' }).count()) > 0, 10000);
    await page.locator('.tabs-container .tab', { hasText: 'Guest console' }).first().click();
    const text = await consoleText();
    for (const line of [/Hello from xenarm's example dom0!/, /you typed: "hello xen"/, /you typed: "x"/, /powering off/, /the debug session ended/]) assert.match(text, line, text);
    // And VS Code agrees the session is over: the Call Stack (its badge is refreshed only while the section is
    // expanded) no longer says paused.
    const stackHeader = page.locator('.pane-header', { hasText: /^Call Stack/i }).first();
    if ((await stackHeader.getAttribute('aria-expanded')) !== 'true') await stackHeader.click();
    await waitFor('the Call Stack to drop the paused badge', async () => !/paused/i.test(await stackHeader.innerText()), 15000);
  });
  await step(v, '15-save-console-log', async () => {
    // "Save Guest Console Log to File" writes the whole log: exactly what the same guest prints to stdout under
    // `xenarm run` given the same keystrokes.
    await runCommand(page, 'xenarm: Save Guest Console Log to File');
    const saved = join(v.workspace, 'guest-console.log');
    await acceptSaveDialog(page, 'guest-console.log');
    await waitFor('guest-console.log on disk', async () => existsSync(saved) && /powering off/.test(readFileSync(saved, 'utf8')), 15000);
    const reference = guestReference(join(v.workspace, 'guest', 'dom0.elf'), { memory: 128, bootargs: 'console=hvc0' }, 'hello xen\rx\rpoweroff\r');
    assert.equal(readFileSync(saved, 'utf8'), reference);
  });
});

test('the extension host reports the extension\'s activation time (Developer: Show Running Extensions)', async (t) => {
  const v = ready(t);
  if (!v) return;
  await step(v, '16-activation-time', async () => {
    const { ms, row: text, others } = await activationTimes(v.page);
    const why = others.filter((r) => !/^xenarm /.test(r)).join('; ');
    console.log(`# activation of xenarm in VS Code 1.100.3's extension host (code-server, Show Running Extensions): ${ms} ms (others in the same host: ${why})`);
    writeFileSync(join(outputDir, 'activation.json'), JSON.stringify({ ms, row: text, others, vscode: '1.100.3 (code-server 4.100.3)', at: new Date().toISOString() }, null, 2));
    // A figure, not a timed assertion (the goal, < 200 ms, is judged in bench:vscode on a quiet machine).
    assert.ok(ms >= 0);
  });
});

test('the extension-host suite (test/vscode-electron/suite.ts) passes in code-server\'s extension host', async (t) => {
  // The @vscode/test-electron checks, from inside the extension host through the vscode API, in the same
  // VS Code 1.100.3 (code-server) with this repository as the extension under development.
  if (!ready(t)) return;
  await vs!.close();
  vs = undefined;
  const report = await runSuiteInCodeServer((s) => console.log(`# ${s}`));
  console.log(report.replace(/^/gm, '# suite: '));
  assert.doesNotMatch(report, /^not ok/m, report);
  const total = Number(/^1\.\.(\d+)$/m.exec(report)?.[1]);
  assert.ok(total >= 10, report);
  assert.equal(report.match(/^ok \d+/gm)?.length, total, report);
});
