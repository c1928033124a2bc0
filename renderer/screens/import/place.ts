import type { ImportItemView } from '../../../shared/schemas/bundles';

/** Where an item lands, in the sidebar's words. */
export function placeOf(item: Pick<ImportItemView, 'level' | 'workspace'>): string {
  if (item.level === 'workspace') return item.workspace ?? 'Workspace';
  if (item.level === 'organization') return 'Organization';
  return 'Personal';
}
