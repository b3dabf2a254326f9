import fc from 'fast-check';

/**
 * fast-check settings for the property suites. A failure prints the seed and the path of the
 * smallest counterexample, e.g. `{ seed: -1819918769, path: "7:1:0" }`; run the same test again with
 * `FC_SEED=-1819918769 FC_PATH=7:1:0 npx jest test/<file> -t '<test name>'` to replay exactly that
 * case. Without FC_SEED every run draws a new seed, so the suites keep exploring.
 */
export function propertyParameters<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  const path = process.env.FC_PATH;
  return {
    numRuns: path ? 1 : numRuns,
    ...(seed === undefined || Number.isNaN(seed) ? {} : { seed }),
    ...(path ? { path } : {}),
    // Each run is a request against a real database: keep the shrinking of a failure bounded.
    endOnFailure: false,
    interruptAfterTimeLimit: 40_000,
    // An interrupted run (a stuck case, a shrink that takes too long) must not pass quietly.
    markInterruptAsFailure: true,
  };
}

/** Strings that have broken servers before: empty, huge, control characters, traversal, injection, odd Unicode. */
export const HOSTILE_STRINGS = [
  '', ' ', '\u0000', '\u0000abc', 'a\u0000b', '\r\n', 'x\r\nBcc: attacker@example.org', '../../../../etc/passwd', '..\\..\\windows\\win.ini',
  "'; DROP TABLE recommendation; --", '" OR 1=1 --', '<script>alert(1)</script>', '{{constructor.constructor("return process")()}}',
  '=HYPERLINK("http://evil.example")', '+1', '-1', '@SUM(A1)', '\t=1', '%00', '%s%s%s%n', '${7*7}', '__proto__', 'constructor',
  'null', 'undefined', 'true', 'NaN', 'Infinity', '-0', '1e309', '9007199254740993', '99999999999999999999999', '0x10', '1_000',
  '2021-02-29', '0000-00-00', '9999-12-31', '2027-01-01T25:61:00Z', 'Europe/Atlantis', 'Etc/GMT+14', '25:00', '-00:01',
  '💥', '\ud800', '\udfff\ud800', 'e\u0301', '\u202eevil', '\ufeff', 'Ω≈ç√∫˜µ≤≥÷', '１２３', 'ﷺ', 'x'.repeat(5000),
];

/** Any JSON value a client could send in a field, biased towards the hostile. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, 1e-7)) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], [''], JSON.parse('{"__proto__": {"role": "admin"}}'), { constructor: { prototype: { role: 'admin' } } }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Ids at or above this are never rows of the suites' fixtures (they make a few thousand rows at most). */
const FIXTURE_IDS_BELOW = 1_000_000n;

/** A path parameter a client could send, before URL encoding. */
export const hostileParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s !== '')),
  fc.string({ minLength: 1, maxLength: 30, unit: 'binary' }),
  // Numbers, but never the id of a row the suites share: a valid id would let a mutated request act
  // on a shared fixture (close its cycle, delete its deadline) and break the tests that follow.
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).filter((n) => n < 0n || n >= FIXTURE_IDS_BELOW).map(String),
  fc.nat().map((n) => String(BigInt(n) + FIXTURE_IDS_BELOW)),
).filter((value) => !/^\d{1,6}$/.test(value)); // a short digit string from the other generators would be one

/**
 * A path segment as it goes on the wire: a hostile value URL-encoded (a lone surrogate has no UTF-8
 * form, so it goes as U+FFFD, as a browser would send it), or a deliberately broken encoding.
 */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileParam.map((value) => encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'))) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%ff', '%c0%af', '%e0%a4%a', '%2e%2e%2f%2e%2e', '%u0000', '%00', '..', '.', '%2F') },
);
