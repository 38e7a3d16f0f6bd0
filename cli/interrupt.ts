/**
 * SIGINT/SIGTERM from mmgate's first instruction. The entry point (main.ts) installs these
 * handlers before it loads anything else, so a CI job cancelled while the clients load (~0.7 s)
 * still ends in exit 3 with a report marked partial instead of dying by the signal. Imports
 * nothing: it must be cheap to load first.
 *
 * The handlers stay for the whole process; each run reads `processInterrupt()`. A run started
 * in-process without them (tests, the demo's library use) installs its own for its duration.
 */
let controller: AbortController | undefined;
let received: { signal: NodeJS.Signals; atMs: number } | undefined;
let ownedByCommand = false;

/** Installs the process-wide handlers (idempotent). The first signal aborts `processInterrupt()`. */
export function installInterruptHandlers(): void {
  if (controller) return;
  const ac = new AbortController();
  controller = ac;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) return;
    received = { signal, atMs: Math.round(performance.now()) };
    ac.abort(new Error(`interrupted by ${signal}`));
  };
  // SIGTERM first: Node already catches it at boot (to restore the terminal, then die by it), so
  // SIGINT being caught is the outside sign that both are mmgate's (test/signals.test.ts).
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** The process-wide interrupt, or undefined when the entry point did not install the handlers. */
export function processInterrupt(): AbortSignal | undefined {
  return controller?.signal;
}

/** The signal received, and when (ms since the process started). */
export function interruptReceived(): { signal: NodeJS.Signals; atMs: number } | undefined {
  return received;
}

/** A command for which a signal is its normal end (`mmgate lab` serves until one): not an interruption. */
export function signalEndsCommand(): void {
  ownedByCommand = true;
}

/** True when a signal cut a command that did not expect one: the process must not exit 0. */
export function interruptedUnexpectedly(): boolean {
  return received !== undefined && !ownedByCommand;
}
