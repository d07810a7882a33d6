// Getting a link or file to someone: the Web Share API where the browser has it, the clipboard or a
// download otherwise. Browser-only.

export type Delivery = 'shared' | 'copied' | 'downloaded' | 'cancelled' | 'failed';

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

export async function shareLink(url: string, title: string): Promise<Delivery> {
  if (typeof navigator.share === 'function') {
    try {
      await navigator.share({ title, url });
      return 'shared';
    } catch (error) {
      if (isAbort(error)) return 'cancelled';
      // Other failures (no share target, not allowed): fall through to the clipboard.
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    return 'copied';
  } catch {
    return 'failed';
  }
}

export function canShareFile(file: File): boolean {
  return typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] });
}

export async function shareFile(file: File, title: string): Promise<Delivery> {
  try {
    await navigator.share({ files: [file], title });
    return 'shared';
  } catch (error) {
    return isAbort(error) ? 'cancelled' : 'failed';
  }
}

export function download(file: File): Delivery {
  const url = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later, not now: the download starts asynchronously from the URL.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return 'downloaded';
}
