import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let ready = false;

/** libsodium's WASM must finish loading once per process before any crypto call. */
export async function initSodium(): Promise<Sodium> {
  if (!ready) {
    await sodiumModule.ready;
    ready = true;
  }
  return sodiumModule;
}

export function sodium(): Sodium {
  if (!ready) throw new Error('libsodium used before initSodium()');
  return sodiumModule;
}
