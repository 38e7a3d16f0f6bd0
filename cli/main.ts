#!/usr/bin/env node
// Entry point of the `mmgate` binary; the commands live in program.ts (importable by tests).
import { main } from './program.js';

await main(process.argv);
