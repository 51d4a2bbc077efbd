/**
 * Async side of fault injection: the sync SimWorld methods only apply 'fail'; async callers
 * (SimBackend, the HTTP bridge) await 'delay' and 'hang' faults here before calling them.
 */
import { CancelledError } from '../model/backend';
import type { SimFault } from './state';

/**
 * Waits out a 'delay' fault (`ms`, default 1000) or a 'hang' fault (until `signal` aborts; forever
 * without one). Rejects with CancelledError when the signal aborts first. Resolves at once for no fault.
 */
export function awaitFault(fault: SimFault | undefined, signal?: AbortSignal): Promise<void> {
  if (!fault || fault.kind === 'fail') return Promise.resolve();
  if (signal?.aborted) return Promise.reject(new CancelledError());
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      if (timer) clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (fault.kind === 'delay') {
      timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, fault.ms ?? 1000);
    }
  });
}
