// dtc's bus checks: PCI bridges and device addresses, simple-bus, I2C and SPI buses. A bridge check
// marks the node's bus (dtc's node->bus); the matching reg check then validates its children.
import { dtcHasChildren, getProperty, nodePath, type Node } from '../model';
import type { CheckContext, CheckDescriptor } from './framework';
import {
  baseNameLength, busMap, cellAt, cstr, hex, isCompatible, liveChildren, liveProperties, nodeAddrCells, nodeSizeCells, strprefixeq, unitName,
} from './extra-util';

const I2C_OWN_SLAVE_ADDRESS = 1 << 30;
const I2C_TEN_BIT_ADDRESS = 2 ** 31;

function pciBridge(ctx: CheckContext, node: Node): void {
  let prop = getProperty(node, 'device_type');
  if (!prop || cstr(prop) !== 'pci') return;
  busMap(ctx).set(node, 'pci');
  const n = baseNameLength(node);
  if (!strprefixeq(node.name, n, 'pci') && !strprefixeq(node.name, n, 'pcie')) ctx.fail(node, 'node name is not "pci" or "pcie"');
  if (!getProperty(node, 'ranges')) ctx.fail(node, 'missing ranges for PCI bridge (or not a bridge)');
  if (nodeAddrCells(ctx, node) !== 3) ctx.fail(node, 'incorrect #address-cells for PCI bridge');
  if (nodeSizeCells(ctx, node) !== 2) ctx.fail(node, 'incorrect #size-cells for PCI bridge');
  prop = getProperty(node, 'bus-range');
  if (!prop) return;
  if (prop.value.bytes.length !== 8) {
    ctx.failProp(node, prop, 'value must be 2 cells');
    return;
  }
  if (cellAt(prop, 0) > cellAt(prop, 1)) ctx.failProp(node, prop, '1st cell must be less than or equal to 2nd cell');
  if (cellAt(prop, 1) > 0xff) ctx.failProp(node, prop, 'maximum bus number must be less than 256');
}

function pciDeviceBusNum(ctx: CheckContext, node: Node): void {
  if (!node.parent || busMap(ctx).get(node.parent) !== 'pci') return;
  let prop = getProperty(node, 'reg');
  if (!prop) return;
  const busNum = (cellAt(prop, 0) & 0x00ff0000) >>> 16;
  prop = getProperty(node.parent, 'bus-range');
  let min = 0;
  let max = 0;
  if (prop) {
    // dtc 1.6.1 takes both bounds from the first cell.
    min = max = cellAt(prop, 0);
  }
  if (busNum < min || busNum > max) {
    const msg = `PCI bus number ${busNum} out of range, expected (${min} - ${max})`;
    if (prop) ctx.failProp(node, prop, msg);
    else ctx.fail(node, msg);
  }
}

function pciDeviceReg(ctx: CheckContext, node: Node): void {
  if (!node.parent || busMap(ctx).get(node.parent) !== 'pci') return;
  const prop = getProperty(node, 'reg');
  if (!prop) return;
  const unit = unitName(node);
  if (cellAt(prop, 1) || cellAt(prop, 2)) ctx.failProp(node, prop, 'PCI reg config space address cells 2 and 3 must be 0');
  const reg = cellAt(prop, 0);
  const dev = (reg & 0xf800) >>> 11;
  const func = (reg & 0x700) >>> 8;
  if (reg & 0xff000000) ctx.failProp(node, prop, 'PCI reg address is not configuration space');
  if (reg & 0xff) ctx.failProp(node, prop, 'PCI reg config space address register number must be 0');
  if (func === 0 && unit === hex(dev)) return;
  const expected = `${hex(dev)},${hex(func)}`;
  if (unit === expected) return;
  ctx.fail(node, `PCI unit address format error, expected "${expected}"`);
}

function simpleBusReg(ctx: CheckContext, node: Node): void {
  const buses = busMap(ctx);
  if (!node.parent || buses.get(node.parent) !== 'simple-bus') return;
  let prop = getProperty(node, 'reg');
  let first = -1;
  if (prop) {
    if (prop.value.bytes.length) first = 0;
  }
  else {
    prop = getProperty(node, 'ranges');
    if (prop && prop.value.bytes.length) first = nodeAddrCells(ctx, node); // skip the child address
  }
  if (first < 0 || !prop) {
    if (node.parent.parent && buses.get(node) !== 'simple-bus') ctx.fail(node, 'missing or empty reg/ranges property');
    return;
  }
  let reg = 0n;
  for (let i = 0, n = nodeAddrCells(ctx, node.parent); i < n; i++) reg = BigInt.asUintN(64, (reg << 32n) | BigInt(cellAt(prop, first + i)));
  const expected = hex(reg);
  if (unitName(node) !== expected) ctx.fail(node, `simple-bus unit address format error, expected "${expected}"`);
}

function i2cBusBridge(ctx: CheckContext, node: Node): void {
  const n = baseNameLength(node);
  const buses = busMap(ctx);
  if (strprefixeq(node.name, n, 'i2c-bus') || strprefixeq(node.name, n, 'i2c-arb')) buses.set(node, 'i2c-bus');
  else if (strprefixeq(node.name, n, 'i2c')) {
    // dtc compares each child's name using the parent's base-name length.
    for (const child of liveChildren(node)) if (strprefixeq(child.name, n, 'i2c-bus')) return;
    buses.set(node, 'i2c-bus');
  } else return;
  if (!dtcHasChildren(node)) return;
  if (nodeAddrCells(ctx, node) !== 1) ctx.fail(node, 'incorrect #address-cells for I2C bus');
  if (nodeSizeCells(ctx, node) !== 0) ctx.fail(node, 'incorrect #size-cells for I2C bus');
}

function i2cBusReg(ctx: CheckContext, node: Node): void {
  if (!node.parent || busMap(ctx).get(node.parent) !== 'i2c-bus') return;
  const prop = getProperty(node, 'reg');
  if (!prop || prop.value.bytes.length === 0) {
    ctx.fail(node, 'missing or empty reg property');
    return;
  }
  let reg = (cellAt(prop, 0) & ~I2C_OWN_SLAVE_ADDRESS) >>> 0;
  const expected = hex(reg);
  if (unitName(node) !== expected) ctx.fail(node, `I2C bus unit address format error, expected "${expected}"`);
  for (let len = prop.value.bytes.length, i = 0; len > 0; len -= 4, i++) {
    reg = (cellAt(prop, i) & ~I2C_OWN_SLAVE_ADDRESS) >>> 0;
    if (reg >= I2C_TEN_BIT_ADDRESS && reg - I2C_TEN_BIT_ADDRESS > 0x3ff) {
      ctx.failProp(node, prop, `I2C address must be less than 10-bits, got "0x${hex(reg)}"`);
    } else if (reg > 0x7f) {
      ctx.failProp(node, prop, `I2C address must be less than 7-bits, got "0x${hex(reg)}". Set I2C_TEN_BIT_ADDRESS for 10 bit addresses or fix the property`);
    }
  }
}

function spiBusBridge(ctx: CheckContext, node: Node): void {
  const buses = busMap(ctx);
  let spiAddrCells = 1;
  if (strprefixeq(node.name, baseNameLength(node), 'spi')) buses.set(node, 'spi-bus');
  else {
    if (nodeAddrCells(ctx, node) !== 1 || nodeSizeCells(ctx, node) !== 0) return;
    outer: for (const child of liveChildren(node)) {
      for (const p of liveProperties(child)) {
        if (p.name.startsWith('spi-')) {
          buses.set(node, 'spi-bus');
          break outer;
        }
      }
    }
    if (buses.get(node) === 'spi-bus' && getProperty(node, 'reg')) ctx.fail(node, "node name for SPI buses should be 'spi'");
  }
  if (buses.get(node) !== 'spi-bus' || !dtcHasChildren(node)) return;
  if (getProperty(node, 'spi-slave')) spiAddrCells = 0;
  if (nodeAddrCells(ctx, node) !== spiAddrCells) ctx.fail(node, 'incorrect #address-cells for SPI bus');
  if (nodeSizeCells(ctx, node) !== 0) ctx.fail(node, 'incorrect #size-cells for SPI bus');
}

function spiBusReg(ctx: CheckContext, node: Node): void {
  if (!node.parent || busMap(ctx).get(node.parent) !== 'spi-bus') return;
  if (getProperty(node.parent, 'spi-slave')) return;
  const prop = getProperty(node, 'reg');
  if (!prop || prop.value.bytes.length === 0) {
    ctx.fail(node, 'missing or empty reg property');
    return;
  }
  const expected = hex(cellAt(prop, 0));
  if (unitName(node) !== expected) ctx.fail(node, `SPI bus unit address format error, expected "${expected}"`);
}

export const busChecks: CheckDescriptor[] = [
  { name: 'pci_bridge', warn: true, error: false, prereqs: ['device_type_is_string', 'addr_size_cells'], fn: pciBridge },
  { name: 'pci_device_reg', warn: true, error: false, prereqs: ['reg_format', 'pci_bridge'], fn: pciDeviceReg },
  { name: 'pci_device_bus_num', warn: true, error: false, prereqs: ['reg_format', 'pci_bridge'], fn: pciDeviceBusNum },
  {
    name: 'simple_bus_bridge', warn: true, error: false, prereqs: ['addr_size_cells', 'compatible_is_string_list'],
    fn: (ctx, node) => {
      if (isCompatible(node, 'simple-bus')) busMap(ctx).set(node, 'simple-bus');
    },
  },
  { name: 'simple_bus_reg', warn: true, error: false, prereqs: ['reg_format', 'simple_bus_bridge'], fn: simpleBusReg },
  { name: 'i2c_bus_bridge', warn: true, error: false, prereqs: ['addr_size_cells'], fn: i2cBusBridge },
  { name: 'i2c_bus_reg', warn: true, error: false, prereqs: ['reg_format', 'i2c_bus_bridge'], fn: i2cBusReg },
  { name: 'spi_bus_bridge', warn: true, error: false, prereqs: ['addr_size_cells'], fn: spiBusBridge },
  { name: 'spi_bus_reg', warn: true, error: false, prereqs: ['reg_format', 'spi_bus_bridge'], fn: spiBusReg },
];
