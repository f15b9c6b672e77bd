// The `xenarm` command: dispatches to one module per subcommand. Each subcommand module exports
// `run(args: string[]): Promise<number>` and is loaded only when used, so start-up stays fast.
import { CliError, EXIT } from './errors';

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  run: { summary: 'boot a kernel as dom0 under the embedded Xen (or bare metal with --machine virt)', load: () => import('./cmd-run') },
  initramfs: { summary: 'build a gzip-compressed newc cpio initramfs', load: () => import('./cmd-initramfs') },
  dtc: { summary: 'compile and decompile device trees (dtc-compatible)', load: () => import('./cmd-dtc') },
  fdtoverlay: { summary: 'apply compiled overlays to a base device tree blob (fdtoverlay-compatible)', load: () => import('./cmd-fdtoverlay') },
  dt: { summary: 'print the device tree a guest would receive from the dom0 builder', load: () => import('./cmd-dt') },
  demo: { summary: 'boot the bundled example guest headless and show what xenarm sees', load: () => import('./cmd-demo') },
};

function usage(): string {
  const lines = ['usage: xenarm <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', "Run 'xenarm <command> --help' for a command's options.");
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const cmd = commands[name];
  if (!cmd) throw new CliError(`unknown command '${name}'\n${usage()}`, EXIT.USAGE);
  const mod = await cmd.load();
  return mod.run(rest);
}

// A reader that goes away (`xenarm demo | head`) is not an error of ours: stop quietly, as Unix tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.OK);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`xenarm: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      // A bug in xenarm itself, not bad input: say so plainly, with the trace for a report.
      process.stderr.write(`xenarm: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = EXIT.INTERNAL;
    }
  },
);
