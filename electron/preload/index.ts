import { contextBridge, ipcRenderer } from 'electron';
import type { CofferBridge } from '../../shared/ipc';

// A sandboxed preload may require nothing but electron, so the channel name is written here and a
// unit test holds it equal to INVOKE_CHANNEL of shared/ipc.ts; the types come from the contract.
const PRELOAD_CHANNEL = 'coffer:invoke';

// The one narrow object the page gets: typed calls of the contract, no raw ipcRenderer.
const bridge = {
  invoke: (channel, input) => ipcRenderer.invoke(PRELOAD_CHANNEL, channel, input),
} satisfies CofferBridge;

contextBridge.exposeInMainWorld('coffer', bridge);
