// Placeholder owned by "dtextra": their non-structural check families replace this list.
import type { CheckDescriptor } from './framework';

export const extraChecks: CheckDescriptor[] = [];
