/** The public API of the consensus core. */
export * from './types.ts';
export { RawNode, type ProposeOutcome } from './rawNode.ts';
export { defaultRaftConfig } from './config.ts';
export { formatExplanation, nodeName } from './explain.ts';
