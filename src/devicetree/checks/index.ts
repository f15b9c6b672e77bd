// dtc 1.6.1's check table, in its order (checks run in this order, so messages come out in dtc's order).
// Structural checks live in structural.ts; the other families come from extra-index.ts.
import type { CheckDescriptor } from './framework';
import { structuralChecks } from './structural';
import { extraChecks } from './extra-index';

export const DTC_CHECK_ORDER: readonly string[] = [
  'duplicate_node_names', 'duplicate_property_names',
  'node_name_chars', 'node_name_format', 'property_name_chars',
  'name_is_string', 'name_properties', 'node_name_vs_property_name',
  'duplicate_label',
  'explicit_phandles',
  'phandle_references', 'path_references',
  'omit_unused_nodes',
  'address_cells_is_cell', 'size_cells_is_cell',
  'device_type_is_string', 'model_is_string', 'status_is_string',
  'label_is_string',
  'compatible_is_string_list', 'names_is_string_list',
  'property_name_chars_strict',
  'node_name_chars_strict',
  'addr_size_cells', 'reg_format', 'ranges_format', 'dma_ranges_format',
  'unit_address_vs_reg',
  'unit_address_format',
  'pci_bridge', 'pci_device_reg', 'pci_device_bus_num',
  'simple_bus_bridge', 'simple_bus_reg',
  'i2c_bus_bridge', 'i2c_bus_reg',
  'spi_bus_bridge', 'spi_bus_reg',
  'avoid_default_addr_size', 'avoid_unnecessary_addr_size',
  'unique_unit_address', 'unique_unit_address_if_enabled',
  'obsolete_chosen_interrupt_controller',
  'chosen_node_is_root', 'chosen_node_bootargs', 'chosen_node_stdout_path',
  'clocks_property', 'clocks_is_cell',
  'cooling_device_property', 'cooling_device_is_cell',
  'dmas_property', 'dmas_is_cell',
  'hwlocks_property', 'hwlocks_is_cell',
  'interrupts_extended_property', 'interrupts_extended_is_cell',
  'io_channels_property', 'io_channels_is_cell',
  'iommus_property', 'iommus_is_cell',
  'mboxes_property', 'mboxes_is_cell',
  'msi_parent_property', 'msi_parent_is_cell',
  'mux_controls_property', 'mux_controls_is_cell',
  'phys_property', 'phys_is_cell',
  'power_domains_property', 'power_domains_is_cell',
  'pwms_property', 'pwms_is_cell',
  'resets_property', 'resets_is_cell',
  'sound_dai_property', 'sound_dai_is_cell',
  'thermal_sensors_property', 'thermal_sensors_is_cell',
  'deprecated_gpio_property', 'gpios_property', 'interrupts_property', 'interrupt_provider',
  'alias_paths',
  'graph_nodes', 'graph_child_address', 'graph_port', 'graph_endpoint',
  'always_fail',
];

/**
 * The table in dtc's order: every known check, with checks that exist only as prerequisites (none in
 * 1.6.1's table, but allowed) kept after it. A check missing from both sources is left out, together
 * with anything that needs it.
 */
export function checkTable(): CheckDescriptor[] {
  const all = new Map<string, CheckDescriptor>();
  for (const c of [...structuralChecks, ...extraChecks]) all.set(c.name, c);
  const table: CheckDescriptor[] = [];
  const seen = new Set<string>();
  for (const name of DTC_CHECK_ORDER) {
    const c = all.get(name);
    if (c) {
      table.push(c);
      seen.add(name);
    }
  }
  for (const c of all.values()) if (!seen.has(c.name)) table.push(c);
  // Drop checks whose prerequisites are absent (until every family exists).
  let changed = true;
  let result = table;
  while (changed) {
    const names = new Set(result.map((c) => c.name));
    const next = result.filter((c) => c.prereqs.every((p) => names.has(p)));
    changed = next.length !== result.length;
    result = next;
  }
  return result;
}
