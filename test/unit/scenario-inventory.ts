/** The inventory of a built-in simulator scenario, read through SimBackend as the UI and CLI read it. */
import type { Inventory } from '../../src/model/types';
import { createScenario, SimBackend, SimWorld } from '../../src/sim/index';

export async function scenarioInventory(name: string): Promise<Inventory> {
  return new SimBackend(new SimWorld(createScenario(name)), name).inventory();
}
