// dtc's property type checks (checks.c "Semantic checks"): single cells, strings, string lists,
// and the /aliases paths.
import { getProperty, type Node } from '../model';
import type { CheckContext, CheckDescriptor } from './framework';
import { cstr, dataIsOneString, isNullValue, liveProperties, nodeByPath } from './extra-util';

/** dtc's check_is_cell: the named property, if present, is exactly one cell. */
function isCell(ctx: CheckContext, node: Node): void {
  const prop = getProperty(node, ctx.check.data as string);
  if (prop && prop.value.bytes.length !== 4) ctx.failProp(node, prop, 'property is not a single cell');
}

/** dtc's check_is_string. */
export function checkIsString(ctx: CheckContext, node: Node, name: string): void {
  const prop = getProperty(node, name);
  if (prop && !dataIsOneString(prop)) ctx.failProp(node, prop, 'property is not a string');
}

/** dtc's check_is_string_list: every string NUL-terminated. */
function checkIsStringList(ctx: CheckContext, node: Node, name: string): void {
  const prop = getProperty(node, name);
  if (!prop) return;
  const b = prop.value.bytes;
  let rem = b.length;
  let i = 0;
  while (rem > 0) {
    let l = 0;
    while (l < rem && b[i + l] !== 0) l++;
    if (l === rem) {
      ctx.failProp(node, prop, 'property is not a string list');
      break;
    }
    rem -= l + 1;
    i += l + 1;
  }
}

export const cellCheck = (name: string, propName: string): CheckDescriptor => ({ name, warn: true, error: false, prereqs: [], fn: isCell, data: propName, onlyWithProperty: propName });
const stringCheck = (name: string, propName: string): CheckDescriptor => ({
  name, warn: true, error: false, prereqs: [], data: propName,
  fn: (ctx, node) => checkIsString(ctx, node, propName),
});

const LOWER_DIGITS_DASH = /^[a-z0-9-]*$/;

export const typeChecks: CheckDescriptor[] = [
  cellCheck('address_cells_is_cell', '#address-cells'),
  cellCheck('size_cells_is_cell', '#size-cells'),
  stringCheck('device_type_is_string', 'device_type'),
  stringCheck('model_is_string', 'model'),
  stringCheck('status_is_string', 'status'),
  stringCheck('label_is_string', 'label'),
  {
    name: 'compatible_is_string_list', warn: true, error: false, prereqs: [], data: 'compatible',
    fn: (ctx, node) => checkIsStringList(ctx, node, 'compatible'),
  },
  {
    name: 'names_is_string_list', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      for (const p of liveProperties(node)) if (p.name.endsWith('-names')) checkIsStringList(ctx, node, p.name);
    },
  },
  {
    name: 'alias_paths', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      if (node.name !== 'aliases') return;
      for (const prop of liveProperties(node)) {
        if (prop.name === 'phandle' || prop.name === 'linux,phandle') continue;
        if (isNullValue(prop) || !nodeByPath(ctx.tree.root, cstr(prop))) {
          ctx.failProp(node, prop, `aliases property is not a valid node (${isNullValue(prop) ? '(null)' : cstr(prop)})`);
          continue;
        }
        if (!LOWER_DIGITS_DASH.test(prop.name)) ctx.fail(node, "aliases property name must include only lowercase and '-'");
      }
    },
  },
];
