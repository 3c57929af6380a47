/**
 * The server processes that share one database, each with the public URL devices reach it at.
 * Every process refreshes its own registration before it expires; one that stopped or died drops
 * out once its registration expires. Agents are told every live URL, so isolating a device keeps
 * every node it may be sent to reachable.
 */
export interface ServerRegistryStore {
  /** Registers process `processId` at `publicUrl`, or refreshes it, until `expiresAt` (epoch ms). */
  heartbeat(processId: string, publicUrl: string, expiresAt: number): Promise<void>;
  /** Distinct public URLs of the processes whose registration has not expired at `now`, sorted. */
  liveUrls(now: number): Promise<string[]>;
  /** Removes a process's registration (it is shutting down). */
  remove(processId: string): Promise<void>;
  /** Deletes registrations that expired before `before` (epoch ms). */
  prune(before: number): Promise<void>;
}
