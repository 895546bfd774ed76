/**
 * The offline checkers, for the simulator and the CLI. Pure: no clocks, no randomness, no I/O.
 */
export type { LinFailure, LinResult, Model, Operation, Partition, StepResult, Verdict } from './model.ts';
export { UNKNOWN_RETURN } from './model.ts';
export { checkOperations, type CheckOptions } from './linearizability.ts';
export { checkTraceHistory, hasClientEvents, type TraceCheckResult } from './traceHistory.ts';
export { checkRevisionOrder, type RevisionOrderResult, type RevisionRegression } from './revisionOrder.ts';
export { casRegisterModel } from './models/casRegister.ts';
export { stringRegisterModel } from './models/stringRegister.ts';
export { parseJepsenRegisterLog, looksLikeJepsenRegisterLog } from './formats/jepsenLog.ts';
export { parseEdnKvHistory, looksLikeEdnKvHistory } from './formats/ednHistory.ts';
export { traceToKvHistory } from './formats/flotillaTrace.ts';
