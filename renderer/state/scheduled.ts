import { create } from 'zustand';
import { request } from './request';
import { onSessionEnd } from './session';

/** How many secrets await a purge across every level the member can read: the sidebar's badge and the view's tabs. */
interface ScheduledCounts {
  scheduled: number | null;
  inactive: number | null;
  refresh: () => Promise<void>;
}

let generation = 0;

export const useScheduledCounts = create<ScheduledCounts>()((set) => ({
  scheduled: null,
  inactive: null,
  async refresh() {
    const mine = ++generation;
    const [scheduled, inactive] = await Promise.all([
      request('secrets.list', { status: 'scheduled', limit: 1 }),
      request('secrets.list', { status: 'inactive', limit: 1 }),
    ]);
    if (mine !== generation) return;
    set({ scheduled: scheduled.ok ? scheduled.value.matched : null, inactive: inactive.ok ? inactive.value.matched : null });
  },
}));

onSessionEnd(() => {
  generation++;
  useScheduledCounts.setState({ scheduled: null, inactive: null });
});
