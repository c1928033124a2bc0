/**
 * Browser-mode clipboard (the desktop door writes the clipboard in main and returns no value).
 * A copied value is cleared after `clearAfterMs` only if the clipboard still holds it; when the
 * page may not read the clipboard, it is cleared anyway. Locking clears it at once.
 */

interface Pending {
  timer: ReturnType<typeof setTimeout>;
  clear: () => Promise<void>;
}

let pending: Pending | null = null;

async function clearIfOurs(value: string): Promise<void> {
  try {
    const current = await navigator.clipboard.readText();
    if (current !== value) return;
  } catch {
    // Reading is not permitted (or the page is not focused): clear without looking.
  }
  try {
    await navigator.clipboard.writeText('');
  } catch {
    // Nothing more the page can do; the desktop door clears the clipboard in main.
  }
}

export async function copyText(value: string, clearAfterMs: number): Promise<void> {
  await navigator.clipboard.writeText(value);
  if (pending) clearTimeout(pending.timer);
  let held: string | null = value;
  const clear = async () => {
    const v = held;
    held = null;
    pending = null;
    if (v !== null) await clearIfOurs(v);
  };
  pending = { timer: setTimeout(() => void clear(), clearAfterMs), clear };
}

/** On lock: clear now what is still ours, and forget the value. */
export async function clearClipboardNow(): Promise<void> {
  const p = pending;
  if (!p) return;
  clearTimeout(p.timer);
  await p.clear();
}

/** A value that is no secret (a Client ID, a URL, a certificate): written as it is and left there. */
export async function copyPlain(value: string): Promise<void> {
  await navigator.clipboard.writeText(value);
}
