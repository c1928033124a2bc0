import { wipe } from '../crypto/keys';
import { systemRandom } from '../crypto/random';
import { initSodium } from '../crypto/sodium';
import { serveWork } from '../threads/work-ahead';
import type { SealJob, SealOutcome, SealingContext, SealingKeys } from './sealing-ahead';
import { scopeKeyId, sealJob, sealedCodec } from './sealing-ahead';

// Entry of the thread that seals a bulk registration ahead of its inserts (see sealing-ahead.ts).
const scopeKeys = new Map<string, Uint8Array>();
const blindKeys = new Map<string, Uint8Array>();
let vaultId = '';

const keys: SealingKeys = {
  get vaultId() {
    return vaultId;
  },
  scopeKey: (scopeId, version) => known(scopeKeys.get(scopeKeyId(scopeId, version))),
  blindKey: (scopeId) => known(blindKeys.get(scopeId)),
};

/** A key the caller sends before the first job that needs it: one missing is a caller's bug, refused as such. */
function known(key: Uint8Array | undefined): Uint8Array {
  if (!key) throw new Error('a key the sealing thread was not sent');
  return key;
}

// The port holds what the caller sends until the listener is set, once libsodium is ready.
void initSodium().then(() =>
  serveWork<SealJob, SealOutcome>({
    run: (job) => sealJob(keys, systemRandom, job),
    outcomes: sealedCodec,
    context: (c) => {
      const sent = c as SealingContext;
      vaultId = sent.vaultId;
      for (const [id, key] of sent.scopeKeys) scopeKeys.set(id, key);
      for (const [id, key] of sent.blindKeys) blindKeys.set(id, key);
    },
    end: () => {
      for (const key of [...scopeKeys.values(), ...blindKeys.values()]) wipe(key);
      scopeKeys.clear();
      blindKeys.clear();
    },
  }),
);
