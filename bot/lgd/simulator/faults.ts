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
  /** Share of requests that hang without an answer for `hangMs` (past the client's timeout), then lose their socket; nothing is applied. */
  timeoutRate: rate.optional(),
  /** Share of writes applied at once whose answer then hangs for `hangMs` and never comes (a slow commit the client gave up on). */
  applyThenTimeoutRate: rate.optional(),
  /** How long a timed-out request hangs before its socket is destroyed; default 60000 ms. */
  hangMs: z.number().min(0).optional(),
  /** Share of requests whose session ends just before they are handled (LGD recycled, or the session timed out): the expired-session answer; nothing applied. Never a log-on. */
  sessionExpiryRate: rate.optional(),
  /** Share of requests answered 429 Too Many Requests with `Retry-After`; nothing applied. */
  throttleRate: rate.optional(),
  /** The Retry-After of a 429, in seconds; default 1. */
  retryAfterSeconds: z.number().int().min(0).optional(),
  /**
   * Share of writes LGD is still working on when the client gives up (a hung write): applied only
   * `lateApplyMs` after they arrived, by the simulator's clock, and answered then, when the client has
   * long stopped listening. Reads, and writes that arrive meanwhile, are handled at once.
   */
  lateApplyRate: rate.optional(),
  /** How long after it arrived a late write is applied, on the simulator's clock; default 30000 ms. */
  lateApplyMs: z.number().min(0).optional(),
  /** Share of requests a proxy in front of LGD answers 502 or 504 (half each) without passing them on; nothing applied. */
  gatewayErrorRate: rate.optional(),
  /** Share of writes a proxy passes on, LGD applies, and the proxy then answers 502 or 504 (half each) instead of LGD's answer. */
  applyThenGatewayErrorRate: rate.optional(),
  /**
   * Share of writes a proxy gives up on while LGD is still working on them: the client gets a 504 at
   * once, and LGD applies the write `lateApplyMs` after it arrived, by the simulator's clock.
   */
  gatewayTimeoutWhileWorkingRate: rate.optional(),
});

export type FaultOptions = z.infer<typeof faultOptionsSchema>;

export type FaultKind =
  | 'latency'
  | 'drop'
  | 'error'
  | 'htmlError'
  | 'applyThenDrop'
  | 'timeout'
  | 'applyThenTimeout'
  | 'sessionExpiry'
  | 'throttle'
  | 'lateApply'
  | 'gatewayError'
  | 'applyThenGatewayError'
  | 'gatewayTimeoutWhileWorking';

/** Every fault kind, in the order the stats list them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'drop',
  'error',
  'htmlError',
  'applyThenDrop',
  'timeout',
  'applyThenTimeout',
  'sessionExpiry',
  'throttle',
  'lateApply',
  'gatewayError',
  'applyThenGatewayError',
  'gatewayTimeoutWhileWorking',
];

/** What happens to one request. */
export interface FaultDecision {
  latencyMs: number;
  drop: boolean;
  /** HTTP status of an injected error page, or null. */
  errorStatus: 500 | 503 | null;
  htmlError: boolean;
  applyThenDrop: boolean;
  /** Hang this long without an answer, then destroy the socket (nothing applied); 0 = no hang. */
  hangMs: number;
  /** Apply the write, then hang `hangMs` and destroy the socket without an answer. */
  applyThenTimeout: boolean;
  /** End the request's session before handling it. */
  expireSession: boolean;
  /** Answer 429 with this Retry-After (seconds), or null. */
  retryAfterSeconds: number | null;
  /** Apply the write only this long after it arrived (simulator clock), then answer; 0 = at once. */
  lateApplyMs: number;
  /** With `lateApplyMs`: a proxy answers 504 at once instead of LGD's late answer. */
  gatewayTimeoutWhileWorking: boolean;
  /** A proxy answers this status without passing the request on (nothing applied), or null. */
  gatewayStatus: 502 | 504 | null;
  /** The write is passed on and applied, then a proxy answers this status instead, or null. */
  applyThenGatewayStatus: 502 | 504 | null;
}

/** Decides faults per request; draws a fixed number of values per request so decisions stay aligned to the sequence. */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number = mulberry32(1);
  /** A second stream for the kinds added later, so a seed's draws of the first kinds stay what they were. */
  private random2: () => number = mulberry32(1 ^ 0x5bd1e995);
  /** A third stream for the hung-write and gateway kinds, for the same reason. */
  private random3: () => number = mulberry32(1 ^ 0x27d4eb2f);
  /** A fourth stream for the proxy giving up while LGD works. */
  private random4: () => number = mulberry32(1 ^ 0x165667b1);

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  /** Replaces the fault options and restarts the PRNG from the seed. */
  set(options: FaultOptions): void {
    this.options = faultOptionsSchema.parse(options);
    this.random = mulberry32(this.options.seed ?? 1);
    this.random2 = mulberry32((this.options.seed ?? 1) ^ 0x5bd1e995);
    this.random3 = mulberry32((this.options.seed ?? 1) ^ 0x27d4eb2f);
    this.random4 = mulberry32((this.options.seed ?? 1) ^ 0x165667b1);
  }

  /** The current options. */
  get current(): FaultOptions {
    return { ...this.options };
  }

  /** Decides the faults of the next request; apply-then-drop/-timeout/-gateway and late apply only for writes, never for log-on; session expiry never for log-on. */
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
    const [rTimeout, rThrottle, rExpire, rApplyTimeout] = [0, 0, 0, 0].map(() => this.random2()) as [number, number, number, number];
    const timeout = !drop && !error && rTimeout < (o.timeoutRate ?? 0);
    const throttle = !drop && !error && !timeout && rThrottle < (o.throttleRate ?? 0);
    const html = htmlError && !timeout && !throttle;
    const [rGateway, rGatewayStatus, rLate, rApplyGateway] = [0, 0, 0, 0].map(() => this.random3()) as [number, number, number, number];
    const gateway = !drop && !error && !timeout && !throttle && !html && rGateway < (o.gatewayErrorRate ?? 0);
    const expireSession = !kind.logon && !drop && !error && !timeout && !throttle && !html && !gateway && rExpire < (o.sessionExpiryRate ?? 0);
    const handled = !drop && !error && !timeout && !throttle && !html && !gateway && !expireSession;
    const applyThenDrop = kind.write && !kind.logon && handled && rApply < (o.applyThenDropRate ?? 0);
    const applyThenTimeout = kind.write && !kind.logon && handled && !applyThenDrop && rApplyTimeout < (o.applyThenTimeoutRate ?? 0);
    const answered = kind.write && !kind.logon && handled && !applyThenDrop && !applyThenTimeout;
    const late = answered && rLate < (o.lateApplyRate ?? 0);
    const applyThenGateway = answered && !late && rApplyGateway < (o.applyThenGatewayErrorRate ?? 0);
    const rBehind = this.random4();
    const behindGateway = answered && !late && !applyThenGateway && rBehind < (o.gatewayTimeoutWhileWorkingRate ?? 0);
    const gatewayStatus = rGatewayStatus < 0.5 ? 502 : 504;
    return {
      latencyMs,
      drop,
      errorStatus: error ? (rStatus < 0.25 ? 503 : 500) : null,
      htmlError: html,
      applyThenDrop,
      hangMs: timeout || applyThenTimeout ? (o.hangMs ?? 60_000) : 0,
      applyThenTimeout,
      expireSession,
      retryAfterSeconds: throttle ? (o.retryAfterSeconds ?? 1) : null,
      lateApplyMs: late || behindGateway ? (o.lateApplyMs ?? 30_000) : 0,
      gatewayTimeoutWhileWorking: behindGateway,
      gatewayStatus: gateway ? gatewayStatus : null,
      applyThenGatewayStatus: applyThenGateway ? gatewayStatus : null,
    };
  }
}
