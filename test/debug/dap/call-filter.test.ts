// Hypercall filter conditions (the `hypercall`/`smccc` filters and hypercall:NAME breakpoints), with
// Xen's constant values from its public headers (xen/include/public/xen.h, sched.h, version.h, PSCI).
import test from 'node:test';
import assert from 'node:assert/strict';
import { callMatches, describeCall, ConditionError } from '../../../src/debug/runtime/call-filter';
import type { HypercallRecord } from '../../../src/debug/protocol';

const call = (over: Partial<HypercallRecord>): HypercallRecord => ({ seq: 1, vcpu: 0, kind: 'hypercall', nr: 18, name: 'console_io', args: [0, 13, 0xc0a1b2c0, 0, 0], decoded: { cmd: 'write' }, pc: 0xc0001000, time: 5, ...over });

test('bare names and numbers', () => {
  const c = call({});
  assert.equal(callMatches(c, undefined), true);
  assert.equal(callMatches(c, ''), true);
  assert.equal(callMatches(c, 'console_io'), true);
  assert.equal(callMatches(c, '__HYPERVISOR_console_io'), true);
  assert.equal(callMatches(c, 'sched_op'), false);
  assert.equal(callMatches(c, '18'), true);
  assert.equal(callMatches(c, '0x12'), true);
  assert.equal(callMatches(c, '29'), false);
  assert.equal(callMatches(c, '__HYPERVISOR_sched_op'), false, 'a constant naming another hypercall');
  const off = call({ kind: 'smccc', nr: 0x84000008, name: 'SYSTEM_OFF', args: [0, 0, 0], decoded: {} });
  assert.equal(callMatches(off, 'PSCI_SYSTEM_OFF'), true);
  assert.equal(callMatches(off, 'PSCI_CPU_ON'), false);
});

test('expressions over nr, arguments, cmd and Xen constants', () => {
  const c = call({});
  assert.equal(callMatches(c, 'nr == __HYPERVISOR_console_io && a0 == CONSOLEIO_write'), true);
  assert.equal(callMatches(c, 'a0 == CONSOLEIO_read'), false);
  assert.equal(callMatches(c, 'a1 > 10 && a1 < 20'), true);
  assert.equal(callMatches(c, 'a2 >= 0xc0000000'), true);
  assert.equal(callMatches(c, 'cmd == CONSOLEIO_write'), true, 'cmd is the command argument');
  assert.equal(callMatches(c, 'cmd == write'), true, 'or its decoded name');
  assert.equal(callMatches(c, 'cmd == read'), false);
  assert.equal(callMatches(c, 'name == "console_io"'), true);
  assert.equal(callMatches(c, 'name != console_io'), false);
  const shut = call({ nr: 29, name: 'sched_op', args: [2, 0xc0ffee00, 0, 0, 0], decoded: { cmd: 'shutdown' } });
  assert.equal(callMatches(shut, 'nr == 29 && a0 == SCHEDOP_shutdown'), true);
  assert.equal(callMatches(shut, 'a0 == SCHEDOP_yield || a0 == SCHEDOP_block'), false);
});

test('a malformed condition is an error that names it', () => {
  assert.throws(() => callMatches(call({}), 'a0 =='), (e: Error) => e instanceof ConditionError && /condition "a0 ==": expression expected/.test(e.message));
  assert.throws(() => callMatches(call({}), 'a9 == 1'), /no symbol 'a9'/);
});

test('stop descriptions', () => {
  assert.equal(describeCall(call({ decoded: { signature: 'console_io(CONSOLEIO_write, 13, 0xc0a1b2c0)' } })), 'console_io(CONSOLEIO_write, 13, 0xc0a1b2c0)');
  assert.equal(describeCall(call({ decoded: {} })), 'console_io(0, 13, 0xc0a1b2c0)');
});
