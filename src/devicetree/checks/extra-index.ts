// The non-structural check families (dtc 1.6.1's checks.c beyond structure and references). The
// framework (index.ts) orders them by dtc's check_table.
import type { CheckDescriptor } from './framework';
import { addressingChecks } from './extra-addressing';
import { busChecks } from './extra-buses';
import { chosenChecks } from './extra-chosen';
import { graphChecks } from './extra-graph';
import { interruptChecks } from './extra-interrupts';
import { providerChecks } from './extra-providers';
import { typeChecks } from './extra-types';

export const extraChecks: CheckDescriptor[] = [
  ...typeChecks,
  ...addressingChecks,
  ...busChecks,
  ...chosenChecks,
  ...providerChecks,
  ...interruptChecks,
  ...graphChecks,
];
