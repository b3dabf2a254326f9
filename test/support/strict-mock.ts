/**
 * A stand-in for a narrow interface that fails the test when the code calls anything the test did
 * not stub: a unit test then shows exactly what a service asks of its collaborators.
 */
export function strictMock<T extends object>(name: string, stubs: Partial<Record<keyof T, unknown>> = {}): T {
  return new Proxy(stubs, {
    get(target, property) {
      if (property in target) return target[property as keyof typeof target];
      // Asked of any value that might be a promise; not a call.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new Error(`${name}.${String(property)} was called, but the test did not stub it`);
    },
  }) as T;
}
