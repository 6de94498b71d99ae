import type { Server } from 'node:http';

const IDLE_SWEEP_INTERVAL_MS = 100;

/**
 * Stops accepting connections and waits for in-flight requests. Keep-alive connections are closed as
 * soon as they go idle; whatever is still busy after `timeoutMs` is cut off.
 */
export function drainHttpServer(server: Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_INTERVAL_MS);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
