// dtc's provider/specifier checks: `clocks`, `dmas`, `resets`, `*-gpios`, ... are lists of
// <phandle args...> whose argument count comes from the provider's #xxx-cells property.
import { getProperty, MarkerType, nodePath, type Node, type Property } from '../model';
import type { CheckContext, CheckDescriptor } from './framework';
import { cellCheck } from './extra-types';
import { liveProperties, nodeByPhandle, propvalCell, signedCell } from './extra-util';

interface Provider {
  propName: string;
  cellName: string;
  optional: boolean;
}

/** dtc's check_property_phandle_args. */
function checkPhandleArgs(ctx: CheckContext, node: Node, prop: Property, provider: Provider): void {
  const len = prop.value.bytes.length;
  if (len % 4 !== 0) {
    ctx.failProp(node, prop, `property size (${len}) is invalid, expected multiple of 4`);
    return;
  }
  let cellsize = 0;
  for (let cell = 0; cell < len / 4; cell += cellsize + 1) {
    const phandle = signedCell(prop, cell);
    // Some bindings use 0 or -1 to skip optional entries.
    if (phandle === 0 || phandle === -1) {
      if (ctx.plugin) break; // an overlay with external references
      cellsize = 0;
      continue;
    }
    // Parsed from source (dtc keeps type markers then): the cell must be a phandle reference.
    if (prop.value.markers.length > 0) {
      const isRef = prop.value.markers.some((m) => m.type === MarkerType.RefPhandle && m.offset === cell * 4);
      if (!isRef) ctx.failProp(node, prop, `cell ${cell} is not a phandle reference`);
    }
    const providerNode = nodeByPhandle(ctx, phandle);
    if (!providerNode) {
      ctx.failProp(node, prop, `Could not get phandle node for (cell ${cell})`);
      break;
    }
    const cellprop = getProperty(providerNode, provider.cellName);
    if (cellprop) cellsize = propvalCell(cellprop);
    else if (provider.optional) cellsize = 0;
    else {
      ctx.fail(node, `Missing property '${provider.cellName}' in node ${nodePath(providerNode)} or bad phandle (referred from ${prop.name}[${cell}])`);
      break;
    }
    if (len < (cell + cellsize + 1) * 4) ctx.failProp(node, prop, `property size (${len}) too small for cell size ${cellsize}`);
  }
}

function providerPair(base: string, propName: string, cellName: string, optional = false): CheckDescriptor[] {
  const provider: Provider = { propName, cellName, optional };
  return [
    {
      name: `${base}_property`, warn: true, error: false, prereqs: [`${base}_is_cell`, 'phandle_references'], data: provider, onlyWithProperty: propName,
      fn: (ctx, node) => {
        const prop = getProperty(node, propName);
        if (prop) checkPhandleArgs(ctx, node, prop, provider);
      },
    },
    cellCheck(`${base}_is_cell`, cellName),
  ];
}

function isGpioProperty(p: Property): boolean {
  if (p.name.endsWith(',nr-gpios')) return false;
  return p.name.endsWith('-gpios') || p.name === 'gpios' || p.name.endsWith('-gpio') || p.name === 'gpio';
}

export const providerChecks: CheckDescriptor[] = [
  ...providerPair('clocks', 'clocks', '#clock-cells'),
  ...providerPair('cooling_device', 'cooling-device', '#cooling-cells'),
  ...providerPair('dmas', 'dmas', '#dma-cells'),
  ...providerPair('hwlocks', 'hwlocks', '#hwlock-cells'),
  ...providerPair('interrupts_extended', 'interrupts-extended', '#interrupt-cells'),
  ...providerPair('io_channels', 'io-channels', '#io-channel-cells'),
  ...providerPair('iommus', 'iommus', '#iommu-cells'),
  ...providerPair('mboxes', 'mboxes', '#mbox-cells'),
  ...providerPair('msi_parent', 'msi-parent', '#msi-cells', true),
  ...providerPair('mux_controls', 'mux-controls', '#mux-control-cells'),
  ...providerPair('phys', 'phys', '#phy-cells'),
  ...providerPair('power_domains', 'power-domains', '#power-domain-cells'),
  ...providerPair('pwms', 'pwms', '#pwm-cells'),
  ...providerPair('resets', 'resets', '#reset-cells'),
  ...providerPair('sound_dai', 'sound-dai', '#sound-dai-cells'),
  ...providerPair('thermal_sensors', 'thermal-sensors', '#thermal-sensor-cells'),
  {
    name: 'deprecated_gpio_property', warn: false, error: false, prereqs: [],
    fn: (ctx, node) => {
      for (const p of liveProperties(node)) {
        if (isGpioProperty(p) && p.name.endsWith('gpio')) ctx.failProp(node, p, "'[*-]gpio' is deprecated, use '[*-]gpios' instead");
      }
    },
  },
  {
    name: 'gpios_property', warn: true, error: false, prereqs: ['phandle_references'],
    fn: (ctx, node) => {
      if (getProperty(node, 'gpio-hog')) return;
      for (const p of liveProperties(node)) {
        if (isGpioProperty(p)) checkPhandleArgs(ctx, node, p, { propName: p.name, cellName: '#gpio-cells', optional: false });
      }
    },
  },
];
