/** The part of autocannon's API the gateway bench uses (the package ships no types). */
declare module 'autocannon' {
  namespace autocannon {
    /** One keep-alive connection of a run. */
    interface Client {
      /** Replaces the headers of this connection's following requests. */
      setHeaders(headers: Record<string, string>): void;
    }

    interface AutocannonOptions {
      url: string;
      connections?: number;
      duration?: number;
      pipelining?: number;
      /** Requests per second across all connections. */
      overallRate?: number;
      headers?: Record<string, string>;
      /** Called once for each connection before it starts. */
      setupClient?: (client: Client) => void;
    }

    interface Histogram {
      average: number;
      p50: number;
      p90: number;
      p99: number;
      max: number;
    }

    interface AutocannonResult {
      requests: Histogram & { total: number };
      latency: Histogram;
      errors: number;
      timeouts: number;
      non2xx: number;
    }
  }

  function autocannon(options: autocannon.AutocannonOptions): Promise<autocannon.AutocannonResult>;
  export = autocannon;
}
