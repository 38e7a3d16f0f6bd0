#!/usr/bin/env node
// Entry point of the `mmgate` binary. Signals are handled from the first instruction, before the
// commands (and the clients they load) are imported: a run cut at any moment still ends in exit 3
// with a partial report. The commands live in program.ts (importable by tests).
import { installInterruptHandlers } from './interrupt.js';

installInterruptHandlers();
const { main } = await import('./program.js');
await main(process.argv);
