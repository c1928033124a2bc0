/** Files cross a door as `{ fileName, base64 }` (shared/schemas/secrets.ts `fileInput`). */
export interface FilePayload {
  fileName: string;
  base64: string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export async function readFilePayload(file: File): Promise<FilePayload> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { fileName: file.name, base64: toBase64(bytes) };
}

export function readFileText(file: File): Promise<string> {
  return file.text();
}
