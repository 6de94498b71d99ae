import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { forwardedResponseHeaders } from './forwarded-headers';

/**
 * Writes one upstream response into the client response as it arrives, with backpressure: when the
 * client reads slowly, undici stops reading from the upstream until the client drains. A client that
 * has gone away aborts the upstream request at the next event instead of letting it run on.
 */
export class ProxiedResponse implements Dispatcher.DispatchHandler {
  private abort?: (reason?: Error) => void;
  private resume?: () => void;
  private waitingForDrain = false;

  constructor(
    private readonly res: ServerResponse,
    /** Called when the upstream fails before its response started, so the client still gets an answer. */
    private readonly failedBeforeResponse: (error: Error) => void,
  ) {}

  onConnect(abort: (reason?: Error) => void): void {
    this.abort = abort;
    if (this.res.destroyed) abort(clientGone());
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // Informational answers (100 Continue, 103 Early Hints) are between undici and the upstream.
    if (statusCode < 200) return true;
    if (this.res.destroyed) {
      this.abort?.(clientGone());
      return false;
    }
    this.resume = resume;
    const headers = forwardedResponseHeaders(rawHeaders);
    const vary = this.res.getHeader('vary');
    this.res.writeHead(statusCode, vary === undefined ? headers : withVary(headers, String(vary)));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.destroyed) {
      this.abort?.(clientGone());
      return false;
    }
    if (this.res.write(chunk)) return true;
    this.waitForDrain();
    return false;
  }

  onComplete(): void {
    this.res.end();
  }

  onError(error: Error): void {
    if (this.res.headersSent) this.res.destroy(error);
    else if (!this.res.destroyed) this.failedBeforeResponse(error);
  }

  private waitForDrain(): void {
    if (this.waitingForDrain) return;
    this.waitingForDrain = true;
    const drained = (): void => {
      this.res.off('close', closed);
      this.waitingForDrain = false;
      this.resume?.();
    };
    const closed = (): void => {
      this.res.off('drain', drained);
      this.abort?.(clientGone());
    };
    this.res.once('drain', drained);
    this.res.once('close', closed);
  }
}

/**
 * Headers set on the response before proxying (CORS's `Vary: Origin`) are replaced by an upstream header
 * of the same name; for Vary both must survive, or a cache would serve one origin's answer to another.
 */
function withVary(headers: string[], gatewayVary: string): string[] {
  for (let index = 0; index < headers.length; index += 2) {
    if (headers[index] !== 'vary') continue;
    headers[index + 1] = `${headers[index + 1]}, ${gatewayVary}`;
    break;
  }
  return headers;
}

function clientGone(): Error {
  return Object.assign(new Error('The client closed the connection'), { code: 'UND_ERR_ABORTED' });
}
