// A small option parser shared by the subcommands: `--name value`, `--name=value`, boolean flags,
// short aliases, and positional arguments. Unknown options are usage errors.
import { CliError, EXIT } from './errors';

export interface OptionSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** 'flag' takes no value; 'string' one value; 'list' may repeat. */
  kind: 'flag' | 'string' | 'list';
}

export interface ParsedArgs {
  options: Map<string, string | boolean | string[]>;
  positional: string[];
}

export function parseArgs(args: string[], specs: OptionSpec[], command: string): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const options = new Map<string, string | boolean | string[]>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (a === '--') { positional.push(...args.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) inline = a.slice(eq + 1);
      spec = byLong.get(name);
      if (!spec) throw new CliError(`${command}: unknown option '--${name}'`, EXIT.USAGE);
    } else if (a.startsWith('-') && a.length > 1) {
      spec = byShort.get(a.slice(1, 2));
      if (!spec) throw new CliError(`${command}: unknown option '${a}'`, EXIT.USAGE);
      if (a.length > 2) inline = a.slice(2);
    } else {
      positional.push(a);
      continue;
    }
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new CliError(`${command}: option '--${spec.name}' takes no value`, EXIT.USAGE);
      options.set(spec.name, true);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new CliError(`${command}: option '--${spec.name}' needs a value`, EXIT.USAGE);
    if (spec.kind === 'list') {
      const prev = (options.get(spec.name) as string[] | undefined) ?? [];
      options.set(spec.name, [...prev, value]);
    } else options.set(spec.name, value);
  }
  return { options, positional };
}

/** Parses a non-negative integer option (decimal or 0x hex); undefined when absent. */
export function intOption(p: ParsedArgs, name: string, command: string): number | undefined {
  const v = p.options.get(name);
  if (v === undefined) return undefined;
  const s = String(v);
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^[0-9]+$/.test(s) ? parseInt(s, 10) : NaN;
  if (!Number.isSafeInteger(n)) throw new CliError(`${command}: --${name} wants a number, got '${s}'`, EXIT.USAGE);
  return n;
}

export function stringOption(p: ParsedArgs, name: string): string | undefined {
  const v = p.options.get(name);
  return typeof v === 'string' ? v : undefined;
}
