/*
 * Small settings kept in localStorage. Private modes and blocked storage throw on access: a setting
 * then reads as absent and lasts for this page only, rather than breaking the app.
 */

export function readSetting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores `value` under `key`; null removes it. */
export function writeSetting(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Refused (see above): the setting lasts for this page only.
  }
}
