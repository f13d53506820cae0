import { z } from 'zod';
import { mulberry32 } from './prng.js';

const rate = z.number().min(0).max(1);

/** Faults the simulator injects, decided per request by a seeded PRNG. */
export const faultOptionsSchema = z.object({
  /** PRNG seed; the same seed and request sequence give the same faults. Default 1. */
  seed: z.number().int().optional(),
  /** Share of requests answered 500 (a quarter of them 503) with an HTML error page. */
  errorRate: rate.optional(),
  /** Delay before handling: a fixed number of ms or a [min, max] range. */
  latencyMs: z.union([z.number().min(0), z.tuple([z.number().min(0), z.number().min(0)])]).optional(),
  /** Share of requests whose socket is destroyed without an answer; nothing is applied. */
  dropRate: rate.optional(),
  /** Share of writes applied and then left unanswered (socket destroyed). */
  applyThenDropRate: rate.optional(),
  /** Share of requests answered 200 with an HTML page although JSON was asked (a proxy or login portal). */
  htmlErrorRate: rate.optional(),
});

export type FaultOptions = z.infer<typeof faultOptionsSchema>;

export type FaultKind = 'latency' | 'drop' | 'error' | 'htmlError' | 'applyThenDrop';

/** What happens to one request. */
export interface FaultDecision {
  latencyMs: number;
  drop: boolean;
  /** HTTP status of an injected error page, or null. */
  errorStatus: 500 | 503 | null;
  htmlError: boolean;
  applyThenDrop: boolean;
}

/** Decides faults per request; draws a fixed number of values per request so decisions stay aligned to the sequence. */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number = mulberry32(1);

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  /** Replaces the fault options and restarts the PRNG from the seed. */
  set(options: FaultOptions): void {
    this.options = faultOptionsSchema.parse(options);
    this.random = mulberry32(this.options.seed ?? 1);
  }

  /** The current options. */
  get current(): FaultOptions {
    return { ...this.options };
  }

  /** Decides the faults of the next request; `applyThenDrop` only for writes, never for log-on. */
  decide(kind: { write: boolean; logon: boolean }): FaultDecision {
    const o = this.options;
    const [rLatency, rDrop, rError, rStatus, rHtml, rApply] = [0, 0, 0, 0, 0, 0].map(() => this.random()) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const lat = o.latencyMs;
    const latencyMs =
      lat === undefined ? 0 : typeof lat === 'number' ? lat : Math.min(lat[0], lat[1]) + rLatency * Math.abs(lat[1] - lat[0]);
    const drop = rDrop < (o.dropRate ?? 0);
    const error = !drop && rError < (o.errorRate ?? 0);
    const htmlError = !drop && !error && rHtml < (o.htmlErrorRate ?? 0);
    const applyThenDrop =
      kind.write && !kind.logon && !drop && !error && !htmlError && rApply < (o.applyThenDropRate ?? 0);
    return { latencyMs, drop, errorStatus: error ? (rStatus < 0.25 ? 503 : 500) : null, htmlError, applyThenDrop };
  }
}
