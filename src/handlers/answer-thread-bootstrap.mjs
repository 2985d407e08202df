// Loads the answer thread's TypeScript entry (answer-thread-entry.ts) through tsx, whatever started
// the process (`pnpm start` under tsx, or a test runner with its own loader that a new worker thread
// does not inherit). The local bot runs from its sources, as `pnpm start` does.
import { tsImport } from 'tsx/esm/api';

await tsImport('./answer-thread-entry.ts', import.meta.url);
