export { startHub } from './server.ts';
export type { Fault, FaultKind, FaultRule, Hub, HubOptions, HubRequest } from './types.ts';
