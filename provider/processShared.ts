/**
 * State shared by every serialized provider of one dynamic-provider host process. Each resource's `__provider` loads
 * this package's implementation on its own, and a host may hold copies loaded from different paths (an installed
 * package, a checkout), so module-level variables are not enough: the state lives on `globalThis`, under a name of
 * this package.
 */
export function processShared<T>(name: string, make: () => T): T {
  const holder = globalThis as unknown as Record<string, T>;
  return (holder[`__pulumiOvhIplb${name}`] ??= make());
}
