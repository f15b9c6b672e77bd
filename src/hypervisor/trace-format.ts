// One line per hypercall or SMCCC call for `--trace-hypercalls`, the demo and the debug console:
// sequence, vCPU, pc, instruction count, decoded call and result (errno names for Xen errors).
import type { HypercallRecord } from './domain';

const ERRNO: Record<number, string> = {
  [-1]: 'EPERM', [-2]: 'ENOENT', [-3]: 'ESRCH', [-7]: 'E2BIG', [-11]: 'EAGAIN', [-12]: 'ENOMEM', [-13]: 'EACCES',
  [-14]: 'EFAULT', [-16]: 'EBUSY', [-17]: 'EEXIST', [-22]: 'EINVAL', [-28]: 'ENOSPC', [-38]: 'ENOSYS', [-95]: 'EOPNOTSUPP', [-105]: 'ENOBUFS',
};
const PSCI_RET: Record<number, string> = { [-1]: 'NOT_SUPPORTED', [-2]: 'INVALID_PARAMETERS', [-3]: 'DENIED', [-4]: 'ALREADY_ON' };

function quote(s: string, max = 60): string {
  const cut = s.length > max ? s.slice(0, max) + '…' : s;
  return JSON.stringify(cut);
}

export function formatResult(r: HypercallRecord): string {
  if (r.result === undefined) return '…';
  const v = r.result;
  if (v < 0) {
    // Xen errors as -ERRNO, PSCI's as their names (they are not errno values).
    if (r.kind === 'xen') return ERRNO[v] ? `-${ERRNO[v]} (${v})` : String(v);
    return PSCI_RET[v] ? `${PSCI_RET[v]} (${v})` : String(v);
  }
  return v > 9 ? `${v} (0x${v.toString(16)})` : String(v);
}

export function formatHypercall(r: HypercallRecord): string {
  const fields = Object.entries(r.decoded).filter(([k]) => k !== 'cmd').map(([k, v]) => `${k}=${v}`);
  const head = r.decoded.cmd !== undefined ? [String(r.decoded.cmd), ...fields] : r.kind === 'smccc' ? r.args.map((a) => '0x' + a.toString(16)) : fields;
  const text = r.text !== undefined && r.text.length ? ' ' + quote(r.text) : '';
  const where = `#${r.seq} vcpu${r.vcpu} pc=0x${r.pc.toString(16).padStart(8, '0')} icount=${r.icount}`;
  return `[${where}] ${r.name}(${head.join(', ')})${text} = ${formatResult(r)}`;
}
