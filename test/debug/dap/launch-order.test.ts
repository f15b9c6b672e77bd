// A launch with stopOnEntry false never stops before the guest runs, whatever order the client
// sends its requests in. VS Code sends launch and, on `initialized`, the breakpoint requests and
// configurationDone while the extension's custom requests (boot record, device tree) are in flight;
// other clients send configurationDone before the launch is answered. Repeated, because the
// intermittent "Paused on entry" once seen in code-server was suspected to be an ordering race.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { client, ROOT } from './support';

const DOM0 = join(ROOT, 'sample', 'guest', 'dom0.elf');
const BANNER = "Hello from xenarm's example dom0!";

for (const [order, runs] of [['vscode', 5], ['configurationDone first', 3]] as const) {
  test(`stopOnEntry false: no stop before the guest's first output, ${runs} launches (${order} order)`, async () => {
    for (let i = 0; i < runs; i++) {
      const dc = await client();
      try {
        const events: string[] = [];
        dc.on('stopped', (e: DebugProtocol.StoppedEvent) => events.push(`stopped ${e.body.reason}`));
        dc.on('continued', () => events.push('continued'));
        const banner = new Promise<void>((resolve) => dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.output.includes(BANNER)) { events.push('banner'); resolve(); } }));
        await dc.initializeRequest({ adapterID: 'xenarm', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        const args = { kernel: DOM0, bootargs: 'console=hvc0', memory: 128, stopOnEntry: false, __sessionId: `run-${i}` } as DebugProtocol.LaunchRequestArguments;
        if (order === 'vscode') {
          const launched = dc.launchRequest(args);
          const custom = [dc.customRequest('xenarm/bootRecord'), dc.customRequest('xenarm/deviceTree')].map((p) => p.catch(() => undefined));
          await dc.waitForEvent('initialized');
          await dc.setBreakpointsRequest({ source: { path: join(ROOT, 'sample', 'guest', 'dom0.c') }, breakpoints: [] });
          await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
          await dc.setExceptionBreakpointsRequest({ filters: [] });
          await dc.configurationDoneRequest();
          await launched;
          await Promise.all(custom);
        } else {
          const done = dc.configurationDoneRequest();
          await dc.launchRequest(args);
          await done;
        }
        await dc.threadsRequest();
        await banner;
        assert.deepEqual(events.slice(0, 2), ['continued', 'banner'], `launch ${i}: ${events.join(', ')}`);
      } finally {
        await dc.stop();
      }
    }
  });
}
