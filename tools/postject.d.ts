/** postject ships no types; this is the one function tools/build-agent.ts calls. */
declare module 'postject' {
  export function inject(file: string, resource: string, data: Buffer, options?: { sentinelFuse?: string; overwrite?: boolean }): Promise<void>;
}
