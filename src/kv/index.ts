/**
 * src/kv: an etcd v3-like key-value state machine over committed Raft entries. See docs/kv.md.
 */
export * from './command.ts';
export * from './errors.ts';
export * from './keyOrder.ts';
export * from './keyValue.ts';
export * from './leaseId.ts';
export * from './lessor.ts';
export * from './requests.ts';
export * from './stateMachine.ts';
export * from './watchHub.ts';
export { ClientSessions } from './clientSessions.ts';
export { Digest } from './digest.ts';
