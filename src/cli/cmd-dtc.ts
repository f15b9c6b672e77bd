// Placeholder until the device-tree layer provides this command; replaced by its real implementation.
import { CliError, EXIT } from './errors';

export async function run(_args: string[]): Promise<number> {
  throw new CliError('this command is not built yet', EXIT.USAGE);
}
