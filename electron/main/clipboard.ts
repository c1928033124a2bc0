import type { Clipboard } from 'electron';

/**
 * Copies marked as concealed for clipboard managers where Electron lets us (docs/product.md §9), cleared after
 * the timeout only if the clipboard still holds what Coffer put there, and cleared on lock and quit.
 * Electron's API writes one format per call; the concealed markers are written beside the text,
 * which some managers honour and others ignore (documented in SECURITY.md).
 */
export class SecretClipboard {
  private last: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clipboard: Pick<Clipboard, 'write' | 'readText' | 'writeBuffer' | 'clear'>,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  writeSecret(value: string, ms: number): void {
    this.clipboard.write({ text: value });
    const marker = this.platform === 'linux' ? 'x-kde-passwordManagerHint' : this.platform === 'darwin' ? 'org.nspasteboard.ConcealedType' : 'ExcludeClipboardContentFromMonitorProcessing';
    try {
      this.clipboard.writeBuffer(marker, Buffer.from(this.platform === 'linux' ? 'secret' : ''));
    } catch {
      // Not every platform accepts custom formats; the value is still cleared on time.
    }
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
