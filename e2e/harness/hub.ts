import { inject } from 'vitest';
import { startHub, type Hub, type HubOptions } from '../../tools/hub/index.ts';

/** A fresh local hub over the generated fixtures, so each test file's faults stay its own. */
export function startFixtureHub(options: Omit<HubOptions, 'root'> = {}): Promise<Hub> {
  return startHub({ root: inject('hubRoot'), ...options });
}
