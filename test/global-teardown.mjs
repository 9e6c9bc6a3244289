export default async function globalTeardown() {
  await globalThis.__NL_PG__?.stop();
}
