/**
 * Agent file transfer over HTTP: library downloads and result uploads. Requests carry
 * the device signature headers (AGENT_AUTH_HEADERS); an upload is signed with its content's
 * SHA-256 as body hash, so the signature covers the bytes without buffering them.
 *
 * @since agent protocol 1
 */

export const AGENT_FILE_HEADERS = {
  /** Lower-case hex SHA-256 of the content: sent by the server with a library file, by the agent with a result. */
  contentSha256: 'x-cordon-content-sha256',
  /** The result's media type (`application/zip`, `application/json`, `application/octet-stream`). */
  resultType: 'x-cordon-result-type',
  /**
   * Sent by the agent with a LiveResponse result: the index of the RunScript or GetFile command it
   * belongs to. The server takes one result per such command (one package per
   * CollectInvestigationPackage) and refuses the rest.
   */
  commandIndex: 'x-cordon-command-index',
} as const;

/** `GET`: a library file of the device's tenant. Pass a URL-encoded name (or a route pattern). */
export function agentLibraryPath(fileName: string): string {
  return `/agent/v1/library/${fileName}`;
}

/** `POST` (application/octet-stream): a result file of an InProgress action of the device. Answer: `{ blobId, size, sha256 }`. */
export function agentResultPath(actionId: string, name: string): string {
  return `/agent/v1/actions/${actionId}/results/${name}`;
}

/** What the server answers to a stored result. */
export interface AgentResultStored {
  blobId: string;
  size: number;
  sha256: string;
}
