// Resource ids of IPLB objects: `serviceName/n1/.../nk`, as terraform-provider-ovh writes its import ids.

/**
 * Splits `serviceName/n1/.../nk` from the right, so that the numbers are positive integers and the service name is
 * whatever precedes them. Returns undefined when the id has another shape.
 */
export function parseResourceId(id: unknown, count: number): { serviceName: string; numbers: number[] } | undefined {
  if (typeof id !== "string") return undefined;
  const parts = id.split("/");
  if (parts.length < count + 1) return undefined;
  const tail = parts.slice(parts.length - count);
  const serviceName = parts.slice(0, parts.length - count).join("/");
  if (serviceName === "" || !tail.every((p) => /^[1-9]\d*$/.test(p))) return undefined;
  return { serviceName, numbers: tail.map(Number) };
}
