'use strict';
// Container health probe (Dockerfile HEALTHCHECK, docker-compose healthcheck): exits 0 when the
// service answers GET /health/live with 2xx, 1 otherwise. Plain node because the slim base image
// has no curl or wget. Liveness, not readiness: a service waiting for Kafka or Postgres is alive,
// and restarting it would not help.

const port = process.env.PORT || '3000';
// A service bound to every interface is reachable on loopback; one bound to a single address
// is probed there.
const host = !process.env.HOST || ['0.0.0.0', '::'].includes(process.env.HOST) ? '127.0.0.1' : process.env.HOST;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/health/live`;

fetch(url, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  (err) => {
    console.error(`healthcheck: ${url}: ${err.message}`);
    process.exit(1);
  },
);
