// Exit statuses of the xenarm command, documented in the README. Guest exit codes (semihosting) pass
// through unchanged; these are for xenarm's own outcomes.
export const EXIT = {
  OK: 0,
  /** Bad command-line usage. */
  USAGE: 64,
  /** An input file is unreadable or malformed (image, tree, initrd). */
  BAD_INPUT: 65,
  /** The guest ran past --max-instructions or --timeout. */
  LIMIT: 124,
  /** The guest asked for a reboot (SCHEDOP_shutdown reboot, PSCI SYSTEM_RESET). */
  REBOOT: 129,
  /** The guest crashed (SCHEDOP_shutdown crash) or stopped in a way it cannot recover from. */
  CRASH: 130,
  /** The guest's watchdog fired (SCHEDOP_shutdown watchdog). */
  WATCHDOG: 131,
  /** A bug in xenarm. */
  INTERNAL: 70,
} as const;

/** An expected failure: printed as one line `xenarm: message`, exit with exitCode. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.BAD_INPUT) {
    super(message);
  }
}
