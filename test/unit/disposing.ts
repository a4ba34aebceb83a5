/** Runs `body` with `resource` (a training client, say), then disposes of it whatever happens. */
export async function disposing<R extends { dispose(): void }, T>(resource: R, body: (resource: R) => T | Promise<T>): Promise<T> {
  try {
    return await body(resource);
  } finally {
    resource.dispose();
  }
}
