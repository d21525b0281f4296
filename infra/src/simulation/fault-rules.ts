/**
 * Fault rules shared by the simulators (Linode, PayPal): what to break, for which operation, how often, decided by
 * a seeded PRNG so a failing run can be replayed. Each simulator names its own operations and modes.
 */

/** Mulberry32: tiny, seedable, good enough to decide "does this fault fire". */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultSpec<Operation extends string = string, Mode extends string = string> {
  operation: Operation | '*';
  mode: Mode;
  /** How many times the fault fires; unlimited when absent. */
  count?: number;
  /** Chance (0..1) that a matching request is hit; 1 when absent. Drawn from the seeded PRNG. */
  probability?: number;
  /** Seed of this fault's own PRNG (determinism per fault); derived from the simulator's seed when absent. */
  seed?: number;
  /** rateLimit only: the Retry-After value in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface Fault<Operation extends string = string, Mode extends string = string> extends FaultSpec<
  Operation,
  Mode
> {
  id: number;
  /** Times it fired so far. */
  fired: number;
  /** Remaining firings, null when unlimited. */
  remaining: number | null;
}

export class FaultRules<Operation extends string, Mode extends string> {
  private readonly faults: Fault<Operation, Mode>[] = [];
  private readonly faultRandom = new Map<number, () => number>();
  private nextFaultId = 1;
  private readonly seedRandom: () => number;

  constructor(seed = 1) {
    this.seedRandom = seededRandom(seed);
  }

  add(spec: FaultSpec<Operation, Mode>): Fault<Operation, Mode> {
    const fault: Fault<Operation, Mode> = {
      ...spec,
      id: this.nextFaultId++,
      fired: 0,
      remaining: spec.count === undefined ? null : spec.count,
    };
    const seed = spec.seed ?? Math.floor(this.seedRandom() * 2 ** 32);
    this.faultRandom.set(fault.id, seededRandom(seed));
    this.faults.push(fault);
    return { ...fault };
  }

  list(): Fault<Operation, Mode>[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults.length = 0;
    this.faultRandom.clear();
  }

  /** The first rule for this operation whose mode matches and that fires now, consuming one firing; else null. */
  take(
    operation: Operation,
    modeMatches: (mode: Mode) => boolean = () => true,
  ): Fault<Operation, Mode> | null {
    for (const fault of this.faults) {
      if (fault.operation !== '*' && fault.operation !== operation) continue;
      if (!modeMatches(fault.mode)) continue;
      if (fault.remaining !== null && fault.remaining <= 0) continue;
      if (fault.probability !== undefined && fault.probability < 1) {
        const draw = this.faultRandom.get(fault.id)!();
        if (draw >= fault.probability) continue;
      }
      fault.fired += 1;
      if (fault.remaining !== null) fault.remaining -= 1;
      const taken = { ...fault };
      if (fault.remaining === 0) this.remove(fault.id);
      return taken;
    }
    return null;
  }

  private remove(id: number): void {
    const index = this.faults.findIndex((fault) => fault.id === id);
    if (index >= 0) this.faults.splice(index, 1);
    this.faultRandom.delete(id);
  }
}

export interface FaultSpecProblem {
  field: string;
  reason: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A POST /__sim/faults body checked against the simulator's operations and modes; problems in `errors`. */
export function parseFaultSpec<Operation extends string, Mode extends string>(
  body: unknown,
  operations: readonly Operation[],
  modes: readonly Mode[],
): { spec: FaultSpec<Operation, Mode> | null; errors: FaultSpecProblem[] } {
  if (!isRecord(body))
    return { spec: null, errors: [{ field: 'body', reason: 'Body must be a JSON object' }] };
  const errors: FaultSpecProblem[] = [];
  const operation = body.operation;
  if (operation !== '*' && !operations.includes(operation as Operation))
    errors.push({
      field: 'operation',
      reason: `operation must be one of ${[...operations, '*'].join(', ')}`,
    });
  if (!modes.includes(body.mode as Mode))
    errors.push({ field: 'mode', reason: `mode must be one of ${modes.join(', ')}` });
  if (body.count !== undefined && (!Number.isInteger(body.count) || (body.count as number) < 1))
    errors.push({ field: 'count', reason: 'count must be a positive integer' });
  if (
    body.probability !== undefined &&
    (typeof body.probability !== 'number' || body.probability < 0 || body.probability > 1)
  )
    errors.push({ field: 'probability', reason: 'probability must be a number between 0 and 1' });
  if (body.seed !== undefined && !Number.isInteger(body.seed))
    errors.push({ field: 'seed', reason: 'seed must be an integer' });
  if (
    body.retryAfterSeconds !== undefined &&
    (!Number.isInteger(body.retryAfterSeconds) || (body.retryAfterSeconds as number) < 0)
  )
    errors.push({ field: 'retryAfterSeconds', reason: 'retryAfterSeconds must be a non-negative integer' });
  if (errors.length > 0) return { spec: null, errors };
  return {
    spec: {
      operation: operation as Operation | '*',
      mode: body.mode as Mode,
      count: body.count as number | undefined,
      probability: body.probability as number | undefined,
      seed: body.seed as number | undefined,
      retryAfterSeconds: body.retryAfterSeconds as number | undefined,
    },
    errors: [],
  };
}
