/**
 * The same object with some methods replaced: the replacements come from
 * `overrides`, everything else from `target`, bound to it (driver adapters are
 * classes with private state, so they cannot be spread into a plain object).
 */
export function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}
