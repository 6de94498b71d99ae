import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { defer, from, lastValueFrom, type Observable } from 'rxjs';
import { currentContext } from '../database/request-context';
import { IdempotencyKeyReusedError, IdempotentRequestInFlightError, InvalidIdempotencyKeyError } from './idempotency.errors';
import { IdempotencyStore } from './idempotency.store';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on a response that is the stored answer to an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on writes (ARCHITECTURE.md §5): the first request with a key runs and its
 * successful answer is stored for a day; a retry with the same key and the same request (method, path,
 * body) gets that answer again without running twice (header `Idempotent-Replayed: true`); the same key
 * with a different request is 422, and while the first is still running 409. A failed request frees
 * the key, so the client can correct and retry. Keys are per tenant; requests without a tenant
 * (public forms, sign-up) or without the header are not affected.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<IncomingMessage & { body?: unknown; originalUrl?: string }>();
    const header = req.headers[IDEMPOTENCY_KEY_HEADER];
    const tenantId = currentContext()?.tenantId;
    if (!req.method || !WRITE_METHODS.has(req.method) || header === undefined || !tenantId) return next.handle();
    const res = context.switchToHttp().getResponse<ServerResponse>();
    // Nest sets the status after interceptors: the route's @HttpCode, else 201 for POST and 200 otherwise.
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return defer(() => from(this.run(tenantId, Array.isArray(header) ? header[0] : header, req, res, status, next)));
  }

  private async run(tenantId: string, key: string, req: IncomingMessage & { body?: unknown; originalUrl?: string }, res: ServerResponse, status: number, next: CallHandler): Promise<unknown> {
    if (!KEY_PATTERN.test(key)) throw new InvalidIdempotencyKeyError();
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.originalUrl ?? req.url}\n`)
      .update(JSON.stringify(req.body ?? null))
      .digest('base64url');
    if (!(await this.store.claim(tenantId, key, fingerprint))) {
      const stored = await this.store.find(tenantId, key);
      if (stored && stored.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
      if (!stored || stored.state === 'in_flight') throw new IdempotentRequestInFlightError();
      res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
      return stored.body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store.complete(tenantId, key, status, body);
      return body;
    } catch (error) {
      await this.store.release(tenantId, key).catch(() => undefined);
      throw error;
    }
  }
}
