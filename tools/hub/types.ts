/** Public types of the local model hub used by tests (see README.md in this folder). */

/** One injected failure. */
export type Fault =
  /** Answer with this HTTP status (and a hub-like JSON error body) instead of the real response. */
  | { kind: 'status'; status: number }
  /** Send the headers and `afterBytes` bytes of the body, then close the connection. */
  | { kind: 'drop'; afterBytes: number }
  /** Stream the body at about `bytesPerSecond`. */
  | { kind: 'slow'; bytesPerSecond: number }
  /**
   * Send a `Content-Length` of (real length + `extraBytes`), all the real bytes, then close the
   * connection. Default `extraBytes` is 1024 (claims more than it sends). A negative value claims less.
   */
  | { kind: 'wrongLength'; extraBytes?: number }
  /** Flip (XOR 0xff) the middle byte of the body; headers (ETag, lengths) stay truthful. */
  | { kind: 'corrupt' };

export type FaultKind = Fault['kind'];

/**
 * A fault plus where it applies: `match` is a substring of the decoded request path (absent: every
 * path); `times` is how many responses it affects before it clears itself (absent: until cleared).
 */
export type FaultRule = Fault & { match?: string; times?: number };

/** One logged request. Entries are added when a request arrives and updated while it is answered. */
export interface HubRequest {
  /** Sequence number within this hub, from 1. */
  id: number;
  method: string;
  /** Decoded URL path without the query string. */
  path: string;
  /** The `Range` request header as sent, or null. */
  range: string | null;
  /** Response status; 0 until the headers are written. */
  status: number;
  /** Body bytes handed to the socket so far. */
  bytesSent: number;
  /** The fault applied to this response, or null. */
  fault: FaultKind | null;
}

export interface HubOptions {
  /** Folder laid out `<root>/<org>/<repo>/<path...>`. */
  root: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Answer weight files as huggingface.co does: a 302 from `resolve/` to a storage host on another
   * origin (this hub under its other loopback name, `/__storage/...`). Default false.
   */
  storageRedirect?: boolean;
}

export interface Hub {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  addFault(f: FaultRule): void;
  clearFaults(): void;
  /** Live log, oldest first (cleared in place by `clearRequests`). */
  requests: HubRequest[];
  clearRequests(): void;
  /** Stops listening and destroys open connections (in-flight downloads included). */
  close(): Promise<void>;
}
