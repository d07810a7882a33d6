import { ExplainedError } from '../errors';
import { formatBytes } from '../../src/util/format';

/** Free space the browser grants this origin, or null where it will not say. */
export async function availableBytes(): Promise<number | null> {
  try {
    const { quota, usage } = (await navigator.storage?.estimate()) ?? {};
    return quota === undefined || usage === undefined ? null : Math.max(0, quota - usage);
  } catch {
    return null;
  }
}

/** IndexedDB reports a full quota as a QuotaExceededError (DOMException) on the write or its transaction. */
export function isQuotaError(error: unknown): boolean {
  return (error instanceof DOMException && error.name === 'QuotaExceededError') || /QuotaExceeded|quota/i.test(String(error));
}

/** Says how much space a download still needs and how much there is, naming the way out. */
export async function spaceFailure(repo: string, needed: number, detail?: string): Promise<ExplainedError> {
  const available = await availableBytes();
  // Private windows (and some browsers) report a made-up quota; then only the need is stated.
  const have =
    available === null || available >= needed
      ? ' (the browser allows this site less space than it reports)'
      : `, ${formatBytes(available)} available`;
  return new ExplainedError(
    'quota',
    `Not enough storage space for ${repo}: it needs ${formatBytes(needed)} free${have}. Delete other models under Storage or free up space on this device, then retry. Models already stored are kept.`,
    detail,
  );
}
