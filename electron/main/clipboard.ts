import type { Clipboard } from 'electron';

/**
 * Copies a value in main, cleared after the timeout only if the clipboard still holds what Coffer
 * put there, and on lock and quit. No "concealed" marker is written: Electron 41 commits every
 * clipboard call as a whole new clipboard, and `write()` takes no custom format, so a marker
 * written after the text would replace the text (SECURITY.md, "Clipboard").
 */
export class SecretClipboard {
  private last: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly clipboard: Pick<Clipboard, 'writeText' | 'readText' | 'clear'>) {}

  writeSecret(value: string, ms: number): void {
    this.clipboard.writeText(value);
    this.last = value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clearIfOurs(), ms);
    this.timer.unref?.();
  }

  clearIfOurs(): void {
    clearTimeout(this.timer);
    if (this.last !== undefined && this.clipboard.readText() === this.last) this.clipboard.clear();
    this.last = undefined;
  }
}
