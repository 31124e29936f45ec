import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/**
 * The tools every wrapper in this folder is built from. A wrapper takes Prisma's
 * driver adapter factory and returns one whose connections behave differently in
 * one respect (statements cached, isolated, counted); `openDatabase` stacks them.
 */

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

/** A factory like `factory` whose every connection is passed through `wrap` once opened. */
export function wrapConnections(
  factory: SqlDriverAdapterFactory,
  wrap: (adapter: SqlDriverAdapter) => SqlDriverAdapter,
): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
  };
}
